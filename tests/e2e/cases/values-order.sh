# DESIGN.md section 3.3: the deciding sample never depends on the order of
# the files. A lab system's export taken in the morning (核酸结果导出.csv:
# three samples still pending) and again at noon (核酸结果导出(1).csv: the
# same samples with their results, and the morning's negative again) are
# given both ways round, as the shell sorts them and the other way; the
# states are the same, and the morning's negative seen twice is one
# duplicate. Two results of one moment that disagree: the more cautious.
mkdir "$T/in"
printf '采样时间,姓名,证件号码,手机号,检测结果,报告时间\n2022-04-10 08:00,张伟,110101198001010010,,待检测,\n2022-04-10 08:05,陈静,110101198001010045,,待检测,\n2022-04-10 08:10,王芳,110101198001010037,,待检测,\n2022-04-10 07:30,李娜,110101198001010029,,阴性,2022-04-10 09:00\n' \
    >"$T/in/核酸结果导出.csv"
printf '采样时间,姓名,证件号码,手机号,检测结果,报告时间\n2022-04-10 08:00,张伟,110101198001010010,,阴性,2022-04-10 11:00\n2022-04-10 08:05,陈静,110101198001010045,,阴性,2022-04-10 11:00\n2022-04-10 08:10,王芳,110101198001010037,,阴性,2022-04-10 11:00\n2022-04-10 07:30,李娜,110101198001010029,,阴性,2022-04-10 09:00\n2022-04-10 09:00,王芳,310104197707170157,,阴性,\n2022-04-10 09:00,王芳,310104197707170157,,样本不合格,\n' \
    >"$T/in/核酸结果导出(1).csv"
$RC merge -q -r fixtures/example/roster.csv "$T"/in/*.csv --format csv -o "$T/a.csv" --summary-json "$T/a.json"
echo "shell order: exit $?"
$RC merge -q -r fixtures/example/roster.csv "$T/in/核酸结果导出(1).csv" "$T/in/核酸结果导出.csv" --format csv \
    -o "$T/b.csv" --summary-json "$T/b.json"
echo "other order: exit $?"
cmp "$T/a.csv" "$T/b.csv" && echo "same residents either way"
cut -d, -f4,7-10 "$T/a.csv"
grep '"results": {' "$T/a.json" "$T/b.json" | sed 's|^[^:]*/||'
# the summary line and the workbook's summary say how many of applied were
# the same sample again
$RC merge -r fixtures/example/roster.csv "$T"/in/*.csv -o "$T/o.xlsx" 2>&1 | grep 'result rows'
$RC merge -q --lang en -r fixtures/example/roster.csv "$T"/in/*.csv -o "$T/en.xlsx"
$PYTHON - "$T/o.xlsx" "$T/en.xlsx" <<'PY'
import sys, openpyxl
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path, read_only=True)
    for row in wb.worksheets[0].iter_rows(values_only=True):
        cells = [str(v) for v in row if v is not None]
        if cells and cells[0].lstrip().startswith(("已计入", "applied", "其中", "of which")):
            print(" | ".join(cells))
PY
