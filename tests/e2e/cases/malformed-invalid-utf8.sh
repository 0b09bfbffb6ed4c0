# Invalid UTF-8 under --encoding utf-8: an input error (exit 2) naming the
# file, the line and the byte offset of the bad bytes, never replacement
# characters in the output; the previous output stays. Here a character cut
# short (E8 8A then a comma) on line 3, and a lone continuation byte.
printf '姓名,证件号码,检测结果\n张伟,110101198001010010,阴性\n王\350\212,110101198001010037,阴性\n' > "$T/cut.csv"
printf '姓名,证件号码,检测结果\n张伟,110101198001010010,阴性\n\n陈静,110101198001010045,阴\200性\n' > "$T/lone.csv"
echo previous > "$T/out.csv"
$RC merge -r fixtures/example/roster.csv --encoding utf-8 "$T/cut.csv" -o "$T/out.csv"
rc=$?
echo "exit $rc"
$RC merge -r fixtures/example/roster.csv --encoding utf-8 "$T/lone.csv" -o "$T/out.csv"
echo "exit $?"
$RC check --encoding utf-8 "$T/cut.csv"
echo "check exit $?"
cat "$T/out.csv"
exit $rc
