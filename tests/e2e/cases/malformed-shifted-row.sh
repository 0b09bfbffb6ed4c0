# A row shifted by a missing field (its width kept by a trailing comma, so
# not even ragged): its name column holds an id, its id column a phone, its
# phone column the result word. It is unmatched; with --mask the text in
# the phone column is masked by
# characters (not bytes: half of '阴' would be invalid UTF-8 in the CSV and
# in the workbook's XML), and every output stays valid UTF-8.
cat > "$T/results.csv" <<'CSV'
采样时间,姓名,证件号码,手机号,检测结果,备注
2022-04-10 08:10,110101198001010061,13900000092,阴性,
2022-04-10 08:20,陈静,110101198001010045,13800000006,阴性,
CSV
$RC merge --mask -r fixtures/example/roster.csv "$T/results.csv" --unmatched "$T/u.csv" -o "$T/o.csv"
rc=$?
echo "exit $rc"
cut -d, -f1-4,7 "$T/u.csv"
$RC merge -q --mask -r fixtures/example/roster.csv "$T/results.csv" -o "$T/o.xlsx"
echo "workbook exit $?"
"$PYTHON" - "$T/u.csv" "$T/o.csv" "$T/o.xlsx" <<'PY'
import sys, zipfile
for p in sys.argv[1:]:
    parts = [zipfile.ZipFile(p).read(n) for n in zipfile.ZipFile(p).namelist()] if p.endswith(".xlsx") else [open(p, "rb").read()]
    for b in parts:
        b.decode("utf-8")
print("valid UTF-8")
PY
exit $rc
