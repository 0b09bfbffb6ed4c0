# A field of exactly 64 KiB is kept, one byte more is a problem row, the
# same whether the field is quoted (here with a line break inside) or not.
"$PYTHON" - "$T" <<'PY'
import sys
t = sys.argv[1]
rows = ["姓名,证件号码,检测结果,备注"]
rows.append("张伟,110101198001010010,阴性," + "x" * 65536)
rows.append("王芳,110101198001010037,阴性," + "x" * 65537)
rows.append('陈静,110101198001010045,阴性,"' + "x" * 65535 + '\n"')
rows.append('李娜,110101198001010029,阴性,"' + "x" * 65536 + '\n"')
rows.append('"张伟",110101198001010010,"阳性","' + "y" * 65536 + '"')
open(t + "/results.csv", "w").write("\n".join(rows) + "\n")
PY
$RC merge -r fixtures/example/roster.csv "$T/results.csv" -o "$T/o.csv"
rc=$?
echo "exit $rc"
grep -E 'negative|positive' "$T/o.csv"
exit $rc
