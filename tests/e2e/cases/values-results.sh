# Result words as real exports write them (DESIGN.md section 2, Result):
# brackets that agree, inner spaces, per-gene results, a sign that
# disagrees (a problem), and unknown words with a sign of positivity
# (review, flagged result-unrecognised) that --fail-on review catches.
cat > "$T/roster.csv" <<'CSV'
楼号,单元,室号,姓名,身份证号,手机号,状态
1号楼,1单元,101,赵一,11010119900201101X,13800000101,
1号楼,1单元,102,钱二,110101199002011028,13800000102,
1号楼,1单元,103,孙三,110101199002011036,13800000103,
1号楼,1单元,104,李四,110101199002011044,13800000104,
1号楼,2单元,201,周五,110101199002011052,13800000105,
1号楼,2单元,202,吴六,110101199002011060,13800000106,
1号楼,2单元,203,郑七,110101199002011079,13800000107,
1号楼,2单元,204,王八,110101199002011087,13800000108,
2号楼,1单元,101,冯九,110101199002011095,13800000109,
2号楼,1单元,102,陈十,110101199002011108,13800000110,
2号楼,1单元,103,褚十一,110101199002011116,13800000111,
2号楼,1单元,104,卫十二,110101199002011124,13800000112,
2号楼,1单元,105,蒋十三,110101199002011132,13800000113,
2号楼,1单元,106,沈十四,110101199002011140,13800000114,
CSV
cat > "$T/results.csv" <<'CSV'
采样时间,姓名,证件号码,检测结果
2022-04-10 08:01,赵一,11010119900201101X,阴性(-)
2022-04-10 08:02,钱二,110101199002011028,阳性（+）
2022-04-10 08:03,孙三,110101199002011036,检出(Detected)
2022-04-10 08:04,李四,110101199002011044,单采阳性
2022-04-10 08:05,周五,110101199002011052,混采阳性
2022-04-10 08:06,吴六,110101199002011060,可疑阳性
2022-04-10 08:07,郑七,110101199002011079,未检出
2022-04-10 08:08,王八,110101199002011087,单采阴性
2022-04-10 08:09,冯九,110101199002011095,样本不合格
2022-04-10 08:10,陈十,110101199002011108,"ORF1a/b阴性，N基因阴性"
2022-04-10 08:11,褚十一,110101199002011116,"ORF1a/b阴性，N基因阳性"
2022-04-10 08:12,卫十二,110101199002011124,阳性？
2022-04-10 08:13,蒋十三,110101199002011132,阴 性
2022-04-10 08:14,沈十四,110101199002011140,阳性(-)
CSV
$RC merge -r "$T/roster.csv" --day 2022-04-10 "$T/results.csv" --problems "$T/p.csv" \
    --summary-json "$T/s.json" --fail-on positive,review -o "$T/o.csv"
echo "exit $?"
cat "$T/o.csv"
cut -d, -f1-4 "$T/p.csv"
$RC merge -q -r "$T/roster.csv" --day 2022-04-10 "$T/results.csv" -o "$T/o.xlsx"
echo "workbook: exit $?"
$PYTHON - "$T/o.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        if "卫十二" in row:
            print(ws.title, "|", " | ".join("" if v is None else str(v) for v in row))
PY
# only the flagged word: --fail-on review alone fires on it
printf '采样时间,姓名,证件号码,检测结果\n2022-04-10 08:12,卫十二,110101199002011124,阳性？\n' > "$T/one.csv"
$RC merge -q -r "$T/roster.csv" --day 2022-04-10 "$T/one.csv" --fail-on review -o "$T/one.out"
echo "review only: exit $?"
grep 卫十二 "$T/one.out"
