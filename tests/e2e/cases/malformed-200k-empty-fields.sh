# A row of 200,000 empty fields (a spreadsheet's ",,,,..." export) is a
# blank row: skipped and counted as blank, however far past the record cap
# its field count takes it. The same row with one value is a problem row
# (the cap counts 16 bytes a field), and the rows around both stand.
"$PYTHON" - "$T" <<'PY'
import sys
t = sys.argv[1]
with open(t + "/results.csv", "w") as f:
    f.write("姓名,证件号码,检测结果\n张伟,110101198001010010,阴性\n")
    f.write("," * 199999 + "\n")
    f.write(" ,\t" * 100000 + "\n")
    f.write("," * 199999 + "x\n")
    f.write("陈静,110101198001010045,阳性\n")
with open(t + "/wide-roster.csv", "w") as f:
    f.write("姓名,身份证号\n" + "," * 199999 + "\n张伟,110101198001010010\n")
PY
$RC merge -r fixtures/example/roster.csv -r "$T/wide-roster.csv" "$T/results.csv" --problems "$T/p.csv" -o "$T/o.csv"
rc=$?
echo "exit $rc"
grep -E 'negative|positive' "$T/o.csv"
cat "$T/p.csv"
$RC check "$T/results.csv" "$T/wide-roster.csv" | grep -E 'rows:|problem:'
exit $rc
