# Places as committees spell them (DESIGN.md section 2, Places; issue 15
# item 7): 1号楼, 1栋, 一号楼, 1幢, 01 and 1 are one building — in the sort,
# the summary and --split-by — shown as the roster spells it most often (on
# a tie, the spelling met first); units likewise (1单元, 一单元, 1).
cat > "$T/roster.csv" <<'CSV'
楼号,单元,室号,姓名,身份证号,手机号
1号楼,1单元,101,赵一,11010119900201101X,13800000101
10号楼,1单元,101,钱二,110101199002011028,13800000102
1栋,一单元,102,孙三,110101199002011036,13800000103
一号楼,1,103,李四,110101199002011044,13800000104
1幢,1单元,201,周五,110101199002011052,13800000105
01,2单元,202,吴六,110101199002011060,13800000106
1,2,203,郑七,110101199002011079,13800000107
1号楼,二单元,204,王八,110101199002011087,13800000108
2栋,1单元,101,冯九,110101199002011095,13800000109
二号楼,1单元,102,陈十,110101199002011108,13800000110
CSV
cat > "$T/results.csv" <<'CSV'
采样时间,姓名,证件号码,检测结果
2022-04-10 08:01,赵一,11010119900201101X,阴性
2022-04-10 08:02,郑七,110101199002011079,阴性
2022-04-10 08:03,冯九,110101199002011095,阳性
CSV
$RC merge -q -r "$T/roster.csv" --day 2022-04-10 "$T/results.csv" --summary-json "$T/s.json" -o "$T/o.csv"
echo "exit $?"
cut -d, -f1-4,7 "$T/o.csv"
grep -o '"building": "[^"]*", "residents": [0-9]*' "$T/s.json"
# a tie: 2栋 and 二号楼 once each, 2栋 met first
mkdir "$T/split"
$RC merge -q -r "$T/roster.csv" --day 2022-04-10 "$T/results.csv" --split-by building -O "$T/split"
echo "split exit $?"
ls "$T/split"
