# A roster whose every id is the same: the first row is the resident, every
# later one a problem "duplicate id, first at FILE:LINE" (DESIGN.md section
# 3.1), and the accounting adds up: rows = residents + problem. Results for
# that id go to the first; the others' names do not rescue them.
printf '楼号,姓名,身份证号,手机号\n1号楼,张伟,110101198001010010,13800000001\n1号楼,李娜,110101198001010010,13800000002\n2号楼,王芳,110101198001010010,13800000003\n2号楼,张伟,110101198001010010,13800000004\n' > "$T/roster.csv"
"$PYTHON" - "$T/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("姓名,身份证号\n")
    for i in range(100000):
        f.write("居民%d,110101198001010010\n" % i)
PY
$RC merge -r "$T/roster.csv" fixtures/example/results.csv --problems "$T/p.csv" \
    --summary-json "$T/s.json" -o "$T/o.csv"
rc=$?
echo "exit $rc"
cat "$T/o.csv"
cat "$T/p.csv"
grep '"roster"' "$T/s.json"
$RC merge -q -r "$T/big.csv" fixtures/example/results.csv --problems "$T/p2.csv" --summary-json "$T/s2.json" -o "$T/o2.csv"
echo "100,000 rows: exit $?"
grep '"roster"' "$T/s2.json"
wc -l < "$T/p2.csv"
exit $rc
