# DESIGN.md section 7: after the tally, the door-knocking list, the notice
# for each building's group and the households. A building of towers
# (rooms 1203, 302, 3301), a basement flat (B101), a room written with its
# unit (1-101) and a shop (商铺3, no floor: listed last and said so).
# Checked by hand: household 1203 has one of three tested (partly); 302
# and 3301 are exempt households; 6号楼 has tested in full.
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
CSV
mkdir "$T/notice"
$RC merge -q -r "$T/名单.csv" --day 2022-04-10 "$T/结果.csv" --door-list "$T/door.csv" --notice "$T/notice" \
    --summary-json "$T/s.json" -o "$T/o.csv"
echo "exit $?"
cat "$T/door.csv"
for f in "$T"/notice/*; do echo "== $(basename "$f")"; cat "$f"; done
grep '"households"' "$T/s.json"
# the notices never hold an id or a phone, nor a whole name
! grep -E '1380000|11010119|李娜|王子轩|赵强' "$T"/notice/* && echo "notices: no id, phone or whole name"
# English, masked
$RC merge -q --mask --lang en -r "$T/名单.csv" --day 2022-04-10 "$T/结果.csv" --door-list - --notice "$T/notice" \
    -o "$T/o.csv"
cat "$T/notice/6号楼.txt"
$RC merge -q -r "$T/名单.csv" "$T/结果.csv" --notice "$T/nowhere" -o "$T/o.csv"
echo "exit $?"
# the workbook's 入户 sheet: portrait, the header on every page, a building a page
$RC merge -q -r "$T/名单.csv" --day 2022-04-10 "$T/结果.csv" -o "$T/o.xlsx"
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
