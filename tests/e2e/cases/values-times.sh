# Times as real exports write them (DESIGN.md section 2, Time): 上午/下午,
# AM/PM, ISO 8601 with Z or an offset (converted to local time, UTC+8 or
# --tz), compact, epoch seconds and milliseconds, Java's Date.toString(),
# a month-first date with the year last; a first part over 12 is a problem,
# and a message quoting a time keeps it readable.
cat > "$T/roster.csv" <<'CSV'
楼号,单元,室号,姓名,身份证号,手机号
1号楼,1单元,101,赵一,11010119900201101X,13800000101
1号楼,1单元,102,钱二,110101199002011028,13800000102
1号楼,1单元,103,孙三,110101199002011036,13800000103
1号楼,1单元,104,李四,110101199002011044,13800000104
1号楼,2单元,201,周五,110101199002011052,13800000105
1号楼,2单元,202,吴六,110101199002011060,13800000106
1号楼,2单元,203,郑七,110101199002011079,13800000107
1号楼,2单元,204,王八,110101199002011087,13800000108
2号楼,1单元,101,冯九,110101199002011095,13800000109
2号楼,1单元,102,陈十,110101199002011108,13800000110
2号楼,1单元,103,褚十一,110101199002011116,13800000111
2号楼,1单元,104,卫十二,110101199002011124,13800000112
2号楼,1单元,105,蒋十三,110101199002011132,13800000113
CSV
cat > "$T/results.csv" <<'CSV'
采样时间,姓名,证件号码,检测结果
2022/4/10 下午2:31,赵一,11010119900201101X,阴性
2022-04-10 8:31:22 PM,钱二,110101199002011028,阴性
2022-04-10T00:31:22Z,孙三,110101199002011036,阴性
2022-04-10T08:31:22+08:00,李四,110101199002011044,阴性
2022-04-09T20:31:22-05:00,周五,110101199002011052,阴性
20220410083122,吴六,110101199002011060,阴性
1649550682,郑七,110101199002011079,阴性
1649550682000,王八,110101199002011087,阴性
Sun Apr 10 08:31:22 CST 2022,冯九,110101199002011095,阴性
4/10/2022 8:31,陈十,110101199002011108,阴性
13/4/2022 8:31,褚十一,110101199002011116,阴性
20221345083122,卫十二,110101199002011124,阴性
2022年4月10日 上午8点31分,蒋十三,110101199002011132,阴性
CSV
$RC merge -r "$T/roster.csv" --day 2022-04-10 "$T/results.csv" --problems "$T/p.csv" -o "$T/o.csv"
echo "exit $?"
cut -d, -f4,7,9 "$T/o.csv"
cut -d, -f1-4 "$T/p.csv"
# --tz: the zoned and epoch times move, the naive ones stay
$RC merge -q -r "$T/roster.csv" --tz +00:00 "$T/results.csv" -o "$T/utc.csv"
echo "--tz +00:00: exit $?"
cut -d, -f4,9 "$T/utc.csv" | sed -n '2,10p'
$RC merge -q -r "$T/roster.csv" --tz Mars "$T/results.csv"
echo "--tz Mars: exit $?"
# --until: 0点, 0时, 0時 and 0點 are all the 10th's midnight; a bare date is to its end
for u in 2022年4月10日0点 2022年4月10日0时 2022年4月10日0點 "2022-04-10 00:00" 2022年4月10日 20220410; do
    $RC merge -r "$T/roster.csv" --until "$u" "$T/results.csv" -o /dev/null 2>&1 | grep 'result rows' | sed "s|^|--until $u: |"
done
