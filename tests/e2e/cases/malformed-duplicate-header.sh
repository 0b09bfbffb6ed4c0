# Duplicate header names (DESIGN.md section 1, issue 13 item 4): two columns
# naming one role are an error naming both (exit 2), never a silent pick;
# extras of one name are all kept, numbered "NAME (2)", and check says so.
printf '姓名,证件号码,检测结果,检测结果\n张伟,110101198001010010,阴性,阳性\n' > "$T/results.csv"
printf '楼号,姓名,身份证号,姓名\n1号楼,张伟,110101198001010010,张三\n' > "$T/roster2.csv"
printf '楼号,姓名,身份证号,备注,备注,紧急联系人,备注\n1号楼,张伟,110101198001010010,腿脚不便,独居,王芳,常外出\n2号楼,陈静,110101198001010045,,,李强,\n' > "$T/roster.csv"
printf '姓名,证件号码,检测结果\n张伟,110101198001010010,阴性\n' > "$T/ok.csv"
$RC merge -r "$T/roster.csv" "$T/results.csv" -o "$T/o.csv"
echo "exit $?"
$RC merge -r "$T/roster2.csv" "$T/ok.csv" -o "$T/o.csv"
echo "exit $?"
$RC merge -r "$T/roster.csv" "$T/ok.csv" -o "$T/o.csv"
echo "exit $?"
cat "$T/o.csv"
$RC merge -r "$T/roster.csv" "$T/ok.csv" --format json -o - | grep -E '备注' | head -3
$RC check "$T/roster.csv"
exit 0
