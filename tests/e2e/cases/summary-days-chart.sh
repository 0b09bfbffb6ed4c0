# Issue 17 item 3: with --days, the summary carries a line chart of
# coverage per day per building beside the table it draws from: a line per
# building and one for the total, the days along the bottom, 0-100 %. The
# chart is read from the workbook's XML (openpyxl does not read charts):
# its kind, its series' names and value ranges. One day draws no line chart.
cat > "$T/d7.csv" <<'CSV'
采样时间,姓名,证件号码,手机号,检测结果
2022-04-07 10:00,刘洋,,13800000005,阴性
CSV
cat > "$T/d8.csv" <<'CSV'
采样时间,姓名,证件号码,手机号,检测结果
2022-04-08 07:30,张伟,110101198001010010,,阴性
2022-04-08 07:40,王芳,310104197707170157,,阴性
CSV
$RC merge -q -r fixtures/example/roster.csv --days 2022-04-07..2022-04-09 "$T"/d*.csv -o "$T/o.xlsx"
echo "exit $?"
"$PYTHON" - "$T/o.xlsx" <<'PY'
import re
import sys
import zipfile
z = zipfile.ZipFile(sys.argv[1])
for name in sorted(n for n in z.namelist() if n.startswith("xl/charts/chart")):
    x = z.read(name).decode()
    kind = re.findall(r"<c:(barChart|lineChart)>", x)
    print(name, kind, "title:", re.findall(r"<a:t>([^<]*)</a:t>", x)[:1])
    if kind == ["lineChart"]:
        for ser in re.findall(r"<c:ser>.*?</c:ser>", x, re.S):
            print("  series", re.findall(r"<c:tx><c:strRef><c:f>([^<]*)</c:f>", ser),
                  re.findall(r"<c:val><c:numRef><c:f>([^<]*)</c:f>", ser),
                  re.findall(r"<c:cat><c:(?:strRef|numRef)><c:f>([^<]*)</c:f>", ser))
        print("  axis", re.findall(r"<c:(min|max) val=\"([^\"]*)\"", x), re.findall(r'formatCode="([^"]*)"', x)[-1:])
PY
$RC merge -q -r fixtures/example/roster.csv --days 2022-04-08..2022-04-08 "$T"/d8.csv -o "$T/one.xlsx"
"$PYTHON" -c 'import zipfile,sys; print("one day:", sorted(n for n in zipfile.ZipFile(sys.argv[1]).namelist() if "charts/chart" in n))' "$T/one.xlsx"
