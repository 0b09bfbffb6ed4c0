# An id of 1,000 digits is no usable id (past the normalisers' 256 bytes):
# on the roster the resident stays, found by name only, with the id column
# empty and the flag id-too-long saying why (in the workbook too); in
# results it matches nobody by id: unmatched when a name is there (and no
# phone confirms it), a problem when not. Messages never quote it.
"$PYTHON" - "$T" <<'PY'
import sys
t = sys.argv[1]
long_id, wide_id = "1" * 1000, "１" * 1000
open(t + "/roster.csv", "w").write(
    "姓名,身份证号,手机号\n张伟,%s,13800000001\n李娜,110101198001010029,13800000002\n" % long_id)
open(t + "/results.csv", "w").write(
    "姓名,证件号码,手机号,检测结果\n张伟,%s,,阴性\n,%s,,阳性\n李娜,%s,,阴性\n张伟,%s,13800000001,阳性\n"
    % (long_id, long_id, wide_id, long_id))
PY
$RC merge -r "$T/roster.csv" "$T/results.csv" --problems "$T/p.csv" --unmatched "$T/u.csv" -o "$T/o.csv"
rc=$?
echo "exit $rc"
cat "$T/o.csv"
cut -d, -f1-4 "$T/p.csv" "$T/u.csv"
"$PYTHON" -c 'import csv, sys; [print("id column:", len(r["id"]), "characters") for f in sys.argv[1:] for r in csv.DictReader(open(f))]' "$T/p.csv" "$T/u.csv"
$RC merge -q -r "$T/roster.csv" "$T/results.csv" --lang en -o "$T/o.xlsx"
echo "workbook exit $?"
"$PYTHON" -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print("ID too long to use" in "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml")))' "$T/o.xlsx"
exit $rc
