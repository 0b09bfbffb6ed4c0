# Cells a spreadsheet would run as formulas get a leading apostrophe in CSV
# and TSV; raw results such as -, +, (-) and numbers stay readable.
printf '姓名,身份证号,备注2\n=HYPERLINK("x"),110101198001010010,-1\n+A1,110101198001010029,+86\n张伟,110101198001010037,@SUM(A1)\n' > "$T/r.csv"
printf '姓名,证件号码,检测结果,采样点\n,110101198001010010,-,=cmd|x\n,110101198001010029,(+),-\n,110101198001010037,+,-1.5\n,110101198001010045,\t=1,x\n' > "$T/s.csv"
$RC merge -q -r "$T/r.csv" "$T/s.csv" --unmatched "$T/u.csv" --problems "$T/p.csv" -o "$T/o.csv"
echo "exit $?"
cat "$T/o.csv" "$T/u.csv" "$T/p.csv"
$RC merge -q -r "$T/r.csv" "$T/s.csv" --format tsv | cut -f4,8
