# Duplicate header names: the first column of a name takes the role, the
# later ones are extras, kept in order under the same name (a roster's
# extras go to the output). Results decided by the first 检测结果, not the
# second.
printf '姓名,证件号码,检测结果,检测结果,姓名\n张伟,110101198001010010,阴性,阳性,李四\n陈静,110101198001010045,阳性,阴性,\n' > "$T/results.csv"
printf '楼号,姓名,身份证号,姓名,身份证号,楼号\n1号楼,张伟,110101198001010010,张三,110101198001010029,2号楼\n' > "$T/roster.csv"
$RC merge -r "$T/roster.csv" "$T/results.csv" --unmatched "$T/u.csv" -o "$T/o.csv"
rc=$?
echo "exit $rc"
cat "$T/o.csv"
cut -d, -f1-6 "$T/u.csv"
$RC check "$T/results.csv" "$T/roster.csv" | grep -E '^ +(columns:)? +[0-9]'
exit $rc
