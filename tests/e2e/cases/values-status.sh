# Roster statuses as committees write them (DESIGN.md section 2, Status;
# issue 15 item 3): the phrases that negate or end an absence win, then the
# exempt ones; 离 + a place is away, 离休 is not. The status is shown as
# written in every output, so the 免检 Exempt sheet says why.
cat > "$T/roster.csv" <<'CSV'
楼号,单元,室号,姓名,身份证号,手机号,状态
1号楼,1单元,101,赵一,11010119900201101X,13800000101,居家不外出
1号楼,1单元,102,钱二,110101199002011028,13800000102,"不外出，需上门采样"
1号楼,1单元,103,孙三,110101199002011036,13800000103,外出已返回
1号楼,1单元,104,李四,110101199002011044,13800000104,已出院
1号楼,2单元,201,周五,110101199002011052,13800000105,空关
1号楼,2单元,202,吴六,110101199002011060,13800000106,已故
1号楼,2单元,203,郑七,110101199002011079,13800000107,已搬离
1号楼,2单元,204,王八,110101199002011087,13800000108,离京
2号楼,1单元,101,冯九,110101199002011095,13800000109,出国
2号楼,1单元,102,陈十,110101199002011108,13800000110,在外地
2号楼,1单元,103,褚十一,110101199002011116,13800000111,离休
2号楼,1单元,104,卫十二,110101199002011124,13800000112,离沪探亲
2号楼,1单元,105,蒋十三,110101199002011132,13800000113,探亲
2号楼,1单元,106,沈十四,110101199002011140,13800000114,住院
CSV
cat > "$T/results.csv" <<'CSV'
采样时间,姓名,证件号码,检测结果
2022-04-10 08:01,沈十四,110101199002011140,阴性
CSV
$RC merge -q -r "$T/roster.csv" --day 2022-04-10 "$T/results.csv" -o "$T/o.csv"
echo "exit $?"
cut -d, -f4,7,12 "$T/o.csv"
echo "== json"
$RC merge -q -r "$T/roster.csv" --day 2022-04-10 "$T/results.csv" --format json --only exempt | grep -o '"name": "[^"]*"\|"status": "[^"]*"' | paste -d' ' - -
echo "== config adds to both lists"
printf '[exempt]\nphrases = 探亲\nnot = 已故\n' > "$T/c.ini"
$RC merge -q --config "$T/c.ini" -r "$T/roster.csv" --day 2022-04-10 "$T/results.csv" --format tsv | cut -f4,7,12 | grep '探亲\|已故'
echo "== workbook: the Exempt sheet shows why"
$RC merge -q -r "$T/roster.csv" --day 2022-04-10 "$T/results.csv" -o "$T/o.xlsx"
echo "exit $?"
$PYTHON - "$T/o.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb["免检"]
rows = list(ws.iter_rows(values_only=True))
col = rows[0].index("人员状态")
for row in rows:
    print(row[3], "|", row[col])
PY
