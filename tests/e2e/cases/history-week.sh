# DESIGN.md section 6: a committee's week of exports as one history. Each
# day's export comes from the lab system of that day, so the time formats
# differ; the 9th has no export yet (a warning, never a silent day of
# "missing"). Checked by hand:
# - 张伟: positive on the 8th, negative on the 10th: his days read
#   missing, positive, missing, negative and his state is the 10th's;
# - 王芳 (101): 23:59 on the 7th and 00:01 on the 8th are two days;
# - 陈静: her last negative is at 2022-04-08 00:00, exactly 72 hours before
#   --now: not overdue; 王芳 (102)'s at 04-07 23:59 is a minute older: overdue;
# - 李娜 is exempt: her days are exempt, she never misses a round;
# - 刘洋: tested on the 7th only: missed the last three days in a row.
cat > "$T/核酸结果导出_20220407.csv" <<'CSV'
采样时间,姓名,证件号码,手机号,检测结果
2022-04-07 23:59,王芳,310104197707170157,,阴性
2022-04-07 23:59,王芳,110101198001010037,,阴性
2022-04-07 10:00,刘洋,,13800000005,阴性
CSV
cat > "$T/核酸结果导出_20220408.csv" <<'CSV'
采样时间,姓名,证件号码,手机号,检测结果
2022/4/8 0:01,王芳,310104197707170157,,阴性
2022/4/8 7:30,张伟,110101198001010010,,阳性
2022/4/8 0:00,陈静,110101198001010045,,阴性
CSV
cat > "$T/核酸结果导出_20220410.csv" <<'CSV'
采样时间,姓名,证件号码,手机号,检测结果
2022年4月10日 8时05分,张伟,110101198001010010,,阴性
2022年4月10日 9时00分,王芳,310104197707170157,,阴性
CSV
$RC merge -r fixtures/example/roster.csv --days 2022-04-07..2022-04-10 --valid 72 --now "2022-04-11 00:00" \
    "$T"/核酸结果导出_*.csv --summary-json "$T/s.json" -o "$T/o.csv"
echo "exit $?"
cat "$T/o.csv"
"$PYTHON" - "$T/s.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for d in s["days"]:
    print(d["day"], d["tested"], d["coverage"])
print([w["code"] for w in s["warnings"]])
PY
# the same as JSON, and --days N ending at --day
$RC merge -q -r fixtures/example/roster.csv --days 2 --day 2022-04-10 "$T"/核酸结果导出_*.csv --format json \
    --only positive,negative
# a history is asked for with --days only
$RC merge -q -r fixtures/example/roster.csv --days 3 "$T"/核酸结果导出_*.csv
echo "exit $?"
$RC merge -q -r fixtures/example/roster.csv --days 2022-04-07..2022-04-10 --since 2022-04-08 "$T"/核酸结果导出_*.csv
echo "exit $?"
$RC merge -q -r fixtures/example/roster.csv --valid 72 "$T"/核酸结果导出_*.csv
echo "exit $?"
# the workbook: History (a character per day, filled by the day's state)
# and Overdue, in both languages
for lang in zh en; do
    $RC merge -q -r fixtures/example/roster.csv --days 2022-04-07..2022-04-10 --valid 72 --now "2022-04-11 00:00" \
        --lang $lang "$T"/核酸结果导出_*.csv -o "$T/o-$lang.xlsx"
    echo "workbook $lang exit $?"
done
"$PYTHON" - "$T/o-zh.xlsx" "$T/o-en.xlsx" <<'PY'
import sys
import openpyxl
for path, names in ((sys.argv[1], ("历史", "逾期")), (sys.argv[2], ("History", "Overdue"))):
    wb = openpyxl.load_workbook(path)
    print(wb.sheetnames[-3:])
    for name in names:
        ws = wb[name]
        print(name, "frozen at", ws.freeze_panes)
        for row in ws.iter_rows(min_row=1, values_only=True):
            print(" ", " | ".join("" if v is None else str(v) for v in row))
        fills = {}
        for row in ws.iter_rows(min_row=2, min_col=5, max_col=8):
            for cell in row:
                fills.setdefault(cell.value, set()).add(cell.fill.fgColor.rgb)
        print("  fills:", sorted((k, sorted(v)) for k, v in fills.items()))
    summary = wb[wb.sheetnames[0]]
    rows = [r for r in summary.iter_rows(values_only=True)]
    at = [i for i, r in enumerate(rows) if r[0] in ("每日覆盖率", "Coverage by day")][0]
    for r in rows[at:at + 5]:
        print(" ", " | ".join("" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v)) for v in r[:5]))
PY
