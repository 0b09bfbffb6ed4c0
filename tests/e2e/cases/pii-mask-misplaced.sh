# Ids and phones where they do not belong: a result cell holding an id, a
# sampling time holding a phone, a row shifted by a missing field (an id in
# the name column), phones and ids in columns rollcall does not know
# (紧急联系电话, 备注, 户主身份证号). With --mask none of them appears whole
# in any output or workbook part; messages never quote one, --mask or not.
cat > "$T/roster.csv" <<'CSV'
楼号,姓名,身份证号,手机号,紧急联系电话,户主身份证号
1号楼,张伟,110101198001010010,13800000001,13900000011,110101195001010012
1号楼,王芳,110101198001010037,13800000004,"电话 13900000044",
2号楼,110101198001010029,13800000002
CSV
cat > "$T/results.csv" <<'CSV'
采样时间,姓名,证件号码,手机号,检测结果,备注
13900000091,张伟,110101198001010010,,阴性,
2022-04-10 08:00,张伟,110101198001010010,13800000001,110101198001010053,
2022-04-10 08:10,110101198001010061,13900000092,阴性,
2022-04-10 08:20,赵磊,110101198001010088,13900000093,阴性,联系人13900000094
2022-04-10 08:30,王芳,110101198001010037,13800000004,无结果13900000095,
CSV
mkdir "$T/o"
$RC merge --mask --day 2022-04-10 -r "$T/roster.csv" "$T/results.csv" -o "$T/o/all.csv" \
    --problems "$T/o/problems.csv" --unmatched "$T/o/unmatched.csv" 2>"$T/o/stderr-mask.txt"
rc=$?
echo "exit $rc"
$RC merge --mask --day 2022-04-10 -r "$T/roster.csv" "$T/results.csv" -o "$T/o/all.xlsx" 2>/dev/null
echo "exit $?"
$RC merge --mask --day 2022-04-10 -r "$T/roster.csv" "$T/results.csv" -o "$T/o/all.json" 2>/dev/null
echo "exit $?"
$RC merge --day 2022-04-10 -r "$T/roster.csv" "$T/results.csv" -o /dev/null 2>"$T/o/stderr-plain.txt"
echo "exit $?"
cat "$T/o/all.csv" "$T/o/problems.csv" "$T/o/unmatched.csv" "$T/o/stderr-plain.txt"
"$PYTHON" - "$T/o" "$T/roster.csv" "$T/results.csv" <<'PY'
import os, re, sys, zipfile
out = sys.argv[1]
secrets = set()
for path in sys.argv[2:]:
    secrets |= set(re.findall(r"\d{17}[\dX]|1\d{10}", open(path, encoding="utf-8").read()))
texts = {}
for f in sorted(os.listdir(out)):
    p = os.path.join(out, f)
    if f.endswith(".xlsx"):
        z = zipfile.ZipFile(p)
        texts.update((f + ":" + n, z.read(n).decode()) for n in z.namelist())
    else:
        texts[f] = open(p, encoding="utf-8").read()
found = sorted((s, w) for s in secrets for w, t in texts.items() if s in t)
for s, w in found:
    print("unmasked %s in %s" % (s, w))
print("%d ids and phones searched for in %d files and workbook parts: %d found" % (len(secrets), len(texts), len(found)))
PY
exit $rc
