# A quote opened and never closed before the end of the file: the record
# it starts (to the end of the file) is one problem row, "quoted field
# never closed before the end of the file", at the line it starts on; the
# rows before it stand. Exit 0. In one thread or two, the same.
printf '姓名,证件号码,检测结果\n张伟,110101198001010010,阴性\n王芳,"110101198001010037,阴性\n陈静,110101198001010045,阳性\n' > "$T/results.csv"
$RC merge -r fixtures/example/roster.csv "$T/results.csv" --problems "$T/p.csv" -o "$T/o.csv"
rc=$?
echo "exit $rc"
grep -E 'negative|positive' "$T/o.csv"
cat "$T/p.csv"
$RC merge -q --threads 1 -r fixtures/example/roster.csv "$T/results.csv" -o "$T/o1.csv"
cmp "$T/o.csv" "$T/o1.csv" && echo "one thread: same"
$RC check "$T/results.csv" | grep -E 'rows|problem'
exit $rc
