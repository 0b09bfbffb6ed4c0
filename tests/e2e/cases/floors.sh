# DESIGN.md section 7, the floor plan (issue 18 item 3): sheet 楼层 Floors,
# a block per building — its coverage above, floors as rows top first
# (every floor of the span, no floor 0 between 1 and B1), room positions as
# columns per unit, each cell the room filled by its household's state
# (red when someone in it is positive), rooms without a floor listed under
# the block, one building per printed page. Checked by hand: 5号楼 has
# floors 33..1 and B1; 1203 is partly tested (amber), 302 and 3301 exempt
# (grey), B101 holds a positive (red), 1-101 none tested (yellow), 商铺3 is
# listed under the block; 6号楼 101 all tested (green); 7号楼 201 none.
# the tower of fixtures/after-tally (scripts/make-fixtures), shared with door-list.sh
F=fixtures/after-tally
$RC merge -q -r "$F/tower-roster.csv" --day 2022-04-10 "$F/tower-results.csv" "$F/tower-positive.csv" -o "$T/o.xlsx" --summary-json "$T/s.json"
echo "exit $?"
"$PYTHON" tests/e2e/xlsx_check.py "$T/o.xlsx" "$T/s.json" && echo "xlsx_check: ok"
"$PYTHON" - "$T/o.xlsx" <<'PY'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["楼层"]
print(ws.page_setup.orientation, "fit to page", ws.sheet_properties.pageSetUpPr.fitToPage, "breaks after rows",
      [b.id for b in ws.row_breaks.brk])
names = {"C6EFCE": "green", "FFDDA6": "amber", "FFF59D": "yellow", "E3E3E3": "grey", "FFB8BE": "red",
         "DCE3EC": "head"}
for row in ws.iter_rows():
    cells = [("" if c.value is None else str(c.value))
             + ("[%s]" % names.get(c.fill.fgColor.rgb[-6:], c.fill.fgColor.rgb) if c.fill.fill_type else "")
             for c in row]
    while cells and cells[-1] == "":
        cells.pop()
    if cells:
        print(" ", " | ".join(cells))
PY
