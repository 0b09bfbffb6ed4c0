# Issue 18 item 6: --split-by building workbooks carry their own
# door-knocking list (入户), floor plan (楼层) and tubes (异常管): each
# with that building's residents only. Tube P1 (pooled review) holds 王小芳
# of 5号楼, 郑勇 of 6号楼 and 钱多多, who is on no roster: the whole-area
# workbook lists all three, 5号楼's only 王小芳, 6号楼's only 郑勇, 7号楼's
# none; the unmatched row stays in the whole-area workbook.
cat > "$T/名单.csv" <<'CSV'
楼号,单元,室号,姓名,身份证号,手机号
5号楼,1单元,1203,王小芳,110101198001010010,13800000101
5号楼,1单元,1203,李娜,110101198001010029,13800000102
5号楼,1单元,B101,赵强,110101198001010053,13800000105
6号楼,1单元,101,郑勇,110101198001010096,13800000109
7号楼,1单元,201,冯磊,110101198001010109,13800000110
CSV
cat > "$T/结果.csv" <<'CSV'
采样时间,管号,姓名,证件号码,手机号,检测结果
2022-04-10 08:00,P1,王小芳,110101198001010010,,混管阳性
2022-04-10 08:05,P1,郑勇,110101198001010096,,混管阳性
2022-04-10 08:06,P1,钱多多,,17000000001,混管阳性
2022-04-10 08:07,P2,赵强,110101198001010053,,阴性
CSV
mkdir "$T/split"
$RC merge -q -r "$T/名单.csv" --day 2022-04-10 "$T/结果.csv" --split-by building -O "$T/split"
echo "exit $?"
"$PYTHON" - "$T/split" <<'PY'
import os
import sys
import openpyxl
for f in sorted(os.listdir(sys.argv[1])):
    wb = openpyxl.load_workbook(os.path.join(sys.argv[1], f))
    print("==", f, wb.sheetnames[9:])
    door = [r[4] for r in wb["入户"].iter_rows(min_row=2, values_only=True)]
    floors = [r[0] for r in wb["楼层"].iter_rows(values_only=True) if r[0] and "检测率" in str(r[0])]
    tubes = [(r[0], r[5]) for r in wb["异常管"].iter_rows(min_row=2, values_only=True)]
    print("  入户", door)
    print("  楼层", floors)
    print("  异常管", tubes)
PY
