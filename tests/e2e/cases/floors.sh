# DESIGN.md section 7, the floor plan (issue 18 item 3): sheet 楼层 Floors,
# a block per building — its coverage above, floors as rows top first
# (every floor of the span, no floor 0 between 1 and B1), room positions as
# columns per unit, each cell the room filled by its household's state
# (red when someone in it is positive), rooms without a floor listed under
# the block, one building per printed page. Checked by hand: 5号楼 has
# floors 33..1 and B1; 1203 is partly tested (amber), 302 and 3301 exempt
# (grey), B101 holds a positive (red), 1-101 none tested (yellow), 商铺3 is
# listed under the block; 6号楼 101 all tested (green); 7号楼 201 none.
cat > "$T/名单.csv" <<'CSV'
楼号,单元,室号,姓名,身份证号,手机号,状态
5号楼,1单元,1203,王小芳,110101198001010010,13800000101,
5号楼,1单元,1203,李娜,110101198001010029,13800000102,
5号楼,1单元,1203,王子轩,110101198001010037,,
5号楼,1单元,302,欧阳娜娜,110101198001010045,13800000104,住院
5号楼,1单元,B101,赵强,110101198001010053,13800000105,
5号楼,2单元,1-101,孙丽,110101198001010061,13800000106,新搬入
5号楼,2单元,商铺3,周杰,11010119800101007X,13800000107,
5号楼,2单元,3301,吴敏,110101198001010088,13800000108,外出
6号楼,1单元,101,郑勇,110101198001010096,13800000109,
7号楼,1单元,201,冯磊,110101198001010109,13800000110,
CSV
cat > "$T/结果.csv" <<'CSV'
采样时间,姓名,证件号码,手机号,检测结果
2022-04-10 08:00,王小芳,110101198001010010,,阴性
2022-04-10 08:05,郑勇,110101198001010096,,阴性
2022-04-10 08:07,赵强,110101198001010053,,阳性
CSV
$RC merge -q -r "$T/名单.csv" --day 2022-04-10 "$T/结果.csv" -o "$T/o.xlsx" --summary-json "$T/s.json"
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
