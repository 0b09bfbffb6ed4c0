# A 10 MB field is a problem row ("field longer than 64 KiB") and memory
# stays bounded; the rows after it are read as they stand. Unquoted on one
# line, and quoted over five million lines: the quoted record ends at its
# closing quote, not at the next line (its lines are not rows).
"$PYTHON" - "$T" <<'PY'
import sys
t = sys.argv[1]
head = "姓名,证件号码,检测结果\n张伟,110101198001010010,阴性\n"
tail = "陈静,110101198001010045,阳性\n"
with open(t + "/plain.csv", "w") as f:
    f.write(head + "王芳," + "1" * (10 << 20) + ",阴性\n" + tail)
with open(t + "/quoted.csv", "w") as f:
    f.write(head + '王芳,"' + 'x""\n' * (10 << 20 >> 2) + '",阴性\n' + tail)
PY
$RC merge -r fixtures/example/roster.csv "$T/plain.csv" --problems "$T/p1.csv" -o "$T/o1.csv"
rc=$?
echo "plain exit $rc"
$RC merge -r fixtures/example/roster.csv "$T/quoted.csv" --problems "$T/p2.csv" -o "$T/o2.csv"
echo "quoted exit $?"
$RC merge --threads 1 -q -r fixtures/example/roster.csv "$T/quoted.csv" -o "$T/o3.csv"
echo "quoted, one thread, exit $?"
cat "$T/p1.csv" "$T/p2.csv"
grep -E 'negative|positive' "$T/o1.csv"
cmp "$T/o1.csv" "$T/o2.csv" && cmp "$T/o2.csv" "$T/o3.csv" && echo "same residents"
exit $rc
