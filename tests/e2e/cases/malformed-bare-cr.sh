# Bare CR line endings (old Mac exports): each CR ends a line, lines are
# numbered by it, and a CR inside a quoted field stays in the field. The
# same rows with LF give the same residents.
printf '姓名,证件号码,检测结果,备注\r张伟,110101198001010010,阴性,\r\r王芳,110101198001010037,"阴性","a\rb"\r陈静,110101198001010045,阴x,\r' > "$T/cr.csv"
printf '姓名,证件号码,检测结果,备注\n张伟,110101198001010010,阴性,\n\n王芳,110101198001010037,"阴性","a\nb"\n陈静,110101198001010045,阴x,\n' > "$T/lf.csv"
$RC merge -r fixtures/example/roster.csv "$T/cr.csv" --problems "$T/p.csv" -o "$T/cr-out.csv"
rc=$?
echo "exit $rc"
$RC merge -q -r fixtures/example/roster.csv "$T/lf.csv" -o "$T/lf-out.csv"
echo "exit $?"
grep -E 'negative|positive' "$T/cr-out.csv"
cut -d, -f1-4 "$T/p.csv"
cmp "$T/cr-out.csv" "$T/lf-out.csv" && echo "same as LF"
$RC check "$T/cr.csv" | grep -E 'header|rows|problem'
exit $rc
