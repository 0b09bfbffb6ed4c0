# No row within the first 10 holds a recognisable header: an input error
# (exit 2) naming the file and what a header needs, before any output is
# written. A header on the 11th row is too late, one on the 10th is found.
printf 'just,some,words\n1,2,3\n4,5,6\n' > "$T/words.csv"
"$PYTHON" - "$T" <<'PY'
import sys
t = sys.argv[1]
for name, n in (("late", 10), ("tenth", 9)):
    with open("%s/%s.csv" % (t, name), "w") as f:
        f.write("".join("title %d,,\n" % i for i in range(n)))
        f.write("姓名,证件号码,检测结果\n张伟,110101198001010010,阴性\n")
PY
echo previous > "$T/out.csv"
$RC merge -r fixtures/example/roster.csv "$T/words.csv" -o "$T/out.csv"
rc=$?
echo "exit $rc"
$RC merge -r "$T/words.csv" fixtures/example/results.csv -o "$T/out.csv"
echo "exit $?"
$RC merge -q -r fixtures/example/roster.csv "$T/late.csv" -o "$T/out.csv"
echo "exit $?"
cat "$T/out.csv"
$RC merge -q -r fixtures/example/roster.csv "$T/tenth.csv" -o "$T/out.csv"
echo "exit $?"
grep -c negative "$T/out.csv"
$RC check "$T/words.csv"
echo "check exit $?"
exit $rc
