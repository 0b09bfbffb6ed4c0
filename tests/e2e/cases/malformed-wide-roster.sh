# A roster 40,000 extra columns wide (issue 13 item 11): CSV out in well
# under the limit (each extra found once, not by walking every separator
# before it: 14 s before), and a workbook refused as an input error naming
# the roster and the limit, not libxlsxwriter's "index out of range".
"$PYTHON" - "$T/wide.csv" <<'PY'
import sys
n = 40000
rows = [["姓名", "身份证号"] + ["x%d" % i for i in range(n)]]
for r in range(3):
    rows.append(["居民%d" % r, "11010119800101001%d" % r] + [str(i % 10) for i in range(n)])
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(",".join(x) for x in rows) + "\n")
PY
printf '姓名,身份证号,结果\n居民1,110101198001010011,阴性\n' > "$T/results.csv"
timeout 10 $RC merge -q -r "$T/wide.csv" "$T/results.csv" --format csv -o "$T/out.csv"
echo "csv exit $?"
cut -d, -f4,7,40011-40012 "$T/out.csv"
$RC merge -r "$T/wide.csv" "$T/results.csv" -o "$T/out.xlsx"
echo "xlsx exit $?"
test -e "$T/out.xlsx" && echo "a workbook was written"
mkdir "$T/split"
$RC merge -r "$T/wide.csv" "$T/results.csv" --split-by building -O "$T/split"
echo "split exit $?"
exit 0
