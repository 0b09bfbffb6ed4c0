# DESIGN.md section 7: after the tally, the door-knocking list, the notice
# for each building's group and the households. A building of towers
# (rooms 1203, 302, 3301), a basement flat (B101), a room written with its
# unit (1-101) and a shop (商铺3, no floor: listed last and said so).
# Checked by hand: household 1203 has one of three tested (partly); 302
# and 3301 are exempt households; 6号楼 has tested in full.
# the tower of fixtures/after-tally (scripts/make-fixtures), shared with floors.sh
F=fixtures/after-tally
mkdir "$T/notice"
$RC merge -q -r "$F/tower-roster.csv" --day 2022-04-10 "$F/tower-results.csv" --door-list "$T/door.csv" --notice "$T/notice" \
    --summary-json "$T/s.json" -o "$T/o.csv"
echo "exit $?"
cat "$T/door.csv"
for f in "$T"/notice/*; do echo "== $(basename "$f")"; cat "$f"; done
grep '"households"' "$T/s.json"
# the notices never hold an id or a phone, nor a whole name
! grep -E '1380000|11010119|李娜|王子轩|赵强' "$T"/notice/* && echo "notices: no id, phone or whole name"
# English, masked
$RC merge -q --mask --lang en -r "$F/tower-roster.csv" --day 2022-04-10 "$F/tower-results.csv" --door-list - --notice "$T/notice" \
    -o "$T/o.csv"
cat "$T/notice/6号楼.txt"
$RC merge -q -r "$F/tower-roster.csv" "$F/tower-results.csv" --notice "$T/nowhere" -o "$T/o.csv"
echo "exit $?"
# the workbook's 入户 sheet: portrait, the header on every page, a building a page
$RC merge -q -r "$F/tower-roster.csv" --day 2022-04-10 "$F/tower-results.csv" -o "$T/o.xlsx"
echo "workbook exit $?"
"$PYTHON" - "$T/o.xlsx" <<'PY'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(wb.sheetnames[-2:])
ws = wb["入户"]
print(ws.page_setup.orientation, ws.print_title_rows, "breaks after rows", [b.id for b in ws.row_breaks.brk])
for row in ws.iter_rows(values_only=True):
    print(" ", " | ".join("" if v is None else str(v) for v in row))
PY
