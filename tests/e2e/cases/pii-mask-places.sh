# --mask on the texts that are not id or phone columns (issue 13 item 7):
# an 18-digit id and an 11-digit phone typed into a building cell, a unit
# cell, an extra column's header, and a workbook roster's sheet names (one
# sheet a building, one skipped with a warning, one with an unreadable
# header: an error). With --mask none of them appears whole in any output
# file (CSV, TSV, JSON, summary JSON, door list, notices, tubes), any XML
# part of any workbook (document properties included), any file name
# (--split-by, --notice) or on standard error; without --mask, messages
# still quote none of them.
cat > "$T/roster.csv" <<'CSV'
楼号,单元,室号,姓名,身份证号,手机号,联系人110101195001010012电话13900000011
110101198001010053栋,13900000022单元,101,张伟,110101198001010010,13800000001,赵六
110101198001010053栋,13900000022单元,102,王芳,110101198001010037,13800000004,
2号楼,1单元,201,李娜,110101198001010029,13800000002,
CSV
cat > "$T/results.csv" <<'CSV'
采样时间,姓名,证件号码,手机号,检测结果,管号
2022-04-10 08:00,张伟,110101198001010010,13800000001,阴性,T1
2022-04-10 08:10,李娜,110101198001010029,13800000002,阳性,T2
CSV
# A workbook roster: sheet 封面 (no header, skipped with a warning quoting
# its name) renamed 封面13900000033; building sheet 1号楼 renamed
# 1号楼110101198001010061 (the sheet's name is its residents' building).
"$PYTHON" - fixtures/xlsx/roster-buildings-openpyxl.xlsx "$T/roster.xlsx" "$T/bad.xlsx" <<'PY'
import sys, zipfile
src, out, bad = sys.argv[1:]
with zipfile.ZipFile(src) as zi:
    for path, extra in ((out, {}), (bad, {"xl/worksheets/sheet3.xml": None})):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zo:
            for info in zi.infolist():
                body = zi.read(info.filename)
                if info.filename == "xl/workbook.xml":
                    body = body.replace('name="封面"'.encode(), 'name="封面13900000033"'.encode())
                    body = body.replace('name="1号楼"'.encode(), 'name="1号楼110101198001010061"'.encode())
                if info.filename in extra:
                    # two columns claiming the name: an error naming FILE:SHEET
                    s = body.decode()
                    i = s.index("<c ", s.index("<row "))
                    body = (s[:i] + '<c r="Z1" t="inlineStr"><is><t>姓名</t></is></c>' + s[i:]).encode()
                zo.writestr(info.filename, body)
PY
mkdir "$T/o" "$T/o/split" "$T/o/notice" "$T/o/split2"
exec 3>&1
run() { $RC merge --mask --day 2022-04-10 "$@" 2>>"$T/o/stderr.txt"; echo "exit $?" >&3; }
run -r "$T/roster.csv" "$T/results.csv" -o "$T/o/all.csv" --summary-json "$T/o/summary.json" \
    --door-list "$T/o/door.csv" --tubes "$T/o/tubes.csv" --notice "$T/o/notice"
run -r "$T/roster.csv" "$T/results.csv" -o "$T/o/all.tsv"
run -r "$T/roster.csv" "$T/results.csv" -o "$T/o/all.json"
run -r "$T/roster.csv" "$T/results.csv" -o "$T/o/all.xlsx"
run -r "$T/roster.csv" "$T/results.csv" -o "$T/o/all-en.xlsx" --lang en
run -r "$T/roster.csv" "$T/results.csv" --split-by building -O "$T/o/split"
run -r "$T/roster.xlsx" "$T/results.csv" -o "$T/o/sheets.csv" --summary-json "$T/o/sheets.json"
run -r "$T/roster.xlsx" "$T/results.csv" --split-by building -O "$T/o/split2"
run -r "$T/bad.xlsx" "$T/results.csv" -o "$T/o/bad.csv"
$RC merge --day 2022-04-10 -r "$T/roster.xlsx" "$T/results.csv" -o /dev/null 2>"$T/o/stderr-plain.txt"
echo "exit $?"
$RC merge --day 2022-04-10 -r "$T/bad.xlsx" "$T/results.csv" -o /dev/null 2>>"$T/o/stderr-plain.txt"
echo "exit $?"
cat "$T/o/stderr.txt" "$T/o/stderr-plain.txt"
"$PYTHON" - "$T/o" <<'PY'
import csv, os, re, sys, zipfile
out = sys.argv[1]
secrets = ["110101198001010053", "13900000022", "110101195001010012", "13900000011",
           "13900000033", "110101198001010061"]
texts = {}
for d, _, files in os.walk(out):
    for f in files:
        p = os.path.join(d, f)
        rel = os.path.relpath(p, out)
        texts["name of " + rel] = rel
        if f.endswith(".xlsx"):
            z = zipfile.ZipFile(p)
            for part in z.namelist():
                texts[rel + ":" + part] = z.read(part).decode("utf-8", "replace")
        else:
            texts[rel] = open(p, encoding="utf-8", errors="replace").read()
leaks = sorted((s, where) for s in secrets for where, t in texts.items() if s in t)
for s, where in leaks:
    print("unmasked %s in %s" % (s, where))
print("%d ids and phones searched for in %d files, names and workbook parts: %d found"
      % (len(secrets), len(texts), len(leaks)))
print("building in all.csv:", sorted({r[0] for r in csv.reader(open(out + "/all.csv"))}))
print("extra column:", next(csv.reader(open(out + "/all.csv")))[-1])
for rel in sorted(texts):
    if rel.endswith(":docProps/core.xml"):
        print(rel.split(":")[0], "title:", re.search("<dc:title>(.*)</dc:title>", texts[rel]).group(1))
print("files:", " ".join(sorted(os.path.relpath(os.path.join(d, f), out)
                               for d, _, fs in os.walk(out) for f in fs)))
PY
