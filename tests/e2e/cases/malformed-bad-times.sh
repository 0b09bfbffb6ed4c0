# Times that are no times: month 13 day 45, hour 25, February 30th and
# 99999999 (a compact date 9999-99-99; as a serial, year 275,000). With a
# window (--day) the row
# cannot be placed: a problem with the reason, unless reported_at holds a
# good time, which then decides. Without a window a time is not needed:
# the rows are applied and the sampled_at column stays empty (DESIGN.md
# section 3.2: only a set window makes an unreadable time a problem).
printf '采样时间,报告时间,姓名,证件号码,检测结果\n2022-13-45 08:00,,张伟,110101198001010010,阳性\n99999999,,陈静,110101198001010045,阳性\n2022-04-10 25:61,,王芳,110101198001010037,阳性\n2022-02-30,2022-04-10 09:00,李娜,110101198001010029,阴性\n44661.35,,李娜,110101198001010029,阴性\n' > "$T/results.csv"
$RC merge -r fixtures/example/roster.csv --day 2022-04-10 "$T/results.csv" --problems "$T/p.csv" -o "$T/o1.csv"
rc=$?
echo "exit $rc"
grep -E 'negative|positive' "$T/o1.csv"
cut -d, -f1-4 "$T/p.csv"
$RC merge -r fixtures/example/roster.csv "$T/results.csv" -o "$T/o2.csv"
echo "no window: exit $?"
grep -E 'negative|positive' "$T/o2.csv"
$RC merge -q -r fixtures/example/roster.csv --day 2022-13-45 "$T/results.csv"
echo "--day 2022-13-45: exit $?"
$RC merge -q -r fixtures/example/roster.csv --since 99999999 "$T/results.csv"
echo "--since 99999999: exit $?"
exit $rc
