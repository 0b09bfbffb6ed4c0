# NUL bytes in a field (a zero-filled block after a crash, say): the record
# holding one is a problem row ("NUL byte in a field"), never a value cut
# short at the NUL ('阳\0性' read as '阳', positive) or joined across it (an
# id '1101011980\0' '01010045' matching 110101198001010045). Other rows stand.
printf '姓名,证件号码,检测结果\n张\000伟,110101198001010010,阳性\n陈静,1101011980\00001010045,阴性\n王芳,110101198001010037,阳\000性\n李娜,110101198001010029,阴性\n"刘\000洋",,阴性\n\000\000\000\000\n' > "$T/results.csv"
printf '姓名,身份证号,手机号\n张伟,110101198001010010,13800000001\n陈\000静,110101198001010045,13800000006\n' > "$T/roster.csv"
$RC merge -r "$T/roster.csv" "$T/results.csv" --problems "$T/p1.csv" -o "$T/o1.csv"
rc=$?
echo "exit $rc"
cat "$T/o1.csv" "$T/p1.csv"
$RC merge -q -r fixtures/example/roster.csv "$T/results.csv" -o "$T/o2.csv"
echo "exit $?"
grep -E 'negative|positive' "$T/o2.csv"
$RC check "$T/results.csv" "$T/roster.csv"
echo "check exit $?"
exit $rc
