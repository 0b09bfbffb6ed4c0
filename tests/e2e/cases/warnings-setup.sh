# DESIGN.md section 3.5: what usually means a wrong set-up is said on
# stderr, in the summary JSON's warnings and on the workbook's summary —
# never a silent "everyone missing".
# 1. a results export from the neighbouring community: none of its ids is
#    on the roster (the committee picked the wrong file);
# 2. a roster whose id column Excel turned into numbers (3.10104E+17);
# 3. an export whose rows are mostly unreadable (a wrong column layout).
cat > "$T/邻居社区结果.csv" <<'CSV'
采样时间,姓名,证件号码,手机号,检测结果
2022-04-10 08:01,钱多多,330106198203040011,13800000901,阴性
2022-04-10 08:02,孙小美,330106198203040027,13800000902,阴性
2022-04-10 08:03,阿土仔,330106198203040035,13800000903,阴性
CSV
{
    echo "楼号,单元,室号,姓名,身份证号,手机号"
    i=10
    while [ $i -lt 22 ]; do
        echo "3号楼,1单元,1$i,居民$i,3.10104E+17,138000009$i"
        i=$((i + 1))
    done
    echo "3号楼,1单元,122,居民22,110101198001010010,13800000922"
} > "$T/名单.csv"
{
    echo "采样时间,姓名,证件号码,手机号,检测结果"
    i=10
    while [ $i -lt 22 ]; do
        echo "2022-04-10 09:$i,居民$i,,138000009$i,见附件"
        i=$((i + 1))
    done
} > "$T/乱序导出.csv"
$RC merge -r "$T/名单.csv" --day 2022-04-10 "$T/邻居社区结果.csv" "$T/乱序导出.csv" \
    --summary-json "$T/s.json" -o "$T/o.xlsx"
echo "exit $?"
"$PYTHON" - "$T/s.json" "$T/o.xlsx" <<'PY'
import json, sys
import openpyxl
s = json.load(open(sys.argv[1]))
for w in s["warnings"]:
    print("json:", w["code"], w["file"], "|", w["message"])
ws = openpyxl.load_workbook(sys.argv[2])["汇总"]
rows = [r[0] for r in ws.iter_rows(min_col=1, max_col=1, values_only=True) if r[0]]
i = rows.index("请注意：结果可能不完整")
for line in rows[i + 1:i + 4]:
    print("workbook:", line)
PY
