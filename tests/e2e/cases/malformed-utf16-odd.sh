# UTF-16 (a BOM says so) of odd length: the last byte is half a code unit,
# an input error (exit 2) naming the line and offset, little- and
# big-endian; nothing is written. The same file without the stray byte is
# read.
"$PYTHON" - "$T" <<'PY'
import sys
t = sys.argv[1]
text = "姓名,证件号码,检测结果\n张伟,110101198001010010,阴性\n"
open(t + "/whole.csv", "wb").write("\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
open(t + "/odd-le.csv", "wb").write("\ufeff".encode("utf-16-le") + text.encode("utf-16-le") + b"A")
open(t + "/odd-be.csv", "wb").write("\ufeff".encode("utf-16-be") + text.encode("utf-16-be") + b"\x00")
PY
$RC merge -r fixtures/example/roster.csv "$T/odd-le.csv" -o "$T/out.csv"
rc=$?
echo "exit $rc"
$RC merge -r fixtures/example/roster.csv "$T/odd-be.csv" -o "$T/out.csv"
echo "exit $?"
ls "$T"
$RC merge -q -r fixtures/example/roster.csv "$T/whole.csv" -o "$T/out.csv"
echo "exit $?"
grep negative "$T/out.csv"
exit $rc
