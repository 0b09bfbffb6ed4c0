# A row of 200,000 empty fields passes the record cap (1 MiB, counting 16
# bytes a field: tests/test_table.c, test_record_cap): a problem row, with
# memory bounded, and the rows around it stand. A row of a few empty fields
# is blank and skipped.
"$PYTHON" - "$T" <<'PY'
import sys
t = sys.argv[1]
with open(t + "/results.csv", "w") as f:
    f.write("姓名,证件号码,检测结果\n张伟,110101198001010010,阴性\n")
    f.write("," * 199999 + "\n")
    f.write(",,,,\n")
    f.write("陈静,110101198001010045,阳性\n")
with open(t + "/wide-roster.csv", "w") as f:
    f.write("姓名,身份证号\n" + "," * 199999 + "\n李四,110101198001010053\n")
PY
$RC merge -r fixtures/example/roster.csv -r "$T/wide-roster.csv" "$T/results.csv" --problems "$T/p.csv" -o "$T/o.csv"
rc=$?
echo "exit $rc"
grep -E 'negative|positive|李四' "$T/o.csv"
cat "$T/p.csv"
$RC check "$T/results.csv" "$T/wide-roster.csv" | grep -E 'rows:|problem:'
exit $rc
