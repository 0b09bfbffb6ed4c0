# --mask on the demo area (fixtures/demo: 31 roster rows, 29 result rows,
# with 15-digit, full-width, mangled and masked ids): no full id or phone of
# any input, as written or normalised (15 digits upgraded to 18, full-width
# digits, a lower-case x), appears in any output file, in any XML part of
# any workbook, or on standard error; every output is mode 0600 and no
# temporary is left behind.
mkdir "$T/o" "$T/o/split"
args=$(cat fixtures/demo/args)
exec 3>&1
run() { $RC merge --mask $args "$@" 2>>"$T/o/stderr.txt"; echo "exit $?" >&3; }
run -o "$T/o/all.csv" --unmatched "$T/o/unmatched.csv" --problems "$T/o/problems.csv" \
    --summary-json "$T/o/summary.json"
run -o "$T/o/all.tsv"
run -o "$T/o/all.json"
run -o "$T/o/all-zh.xlsx"
run -o "$T/o/all-en.xlsx" --lang en
run --split-by building -O "$T/o/split"
run --format csv >"$T/o/stdout.csv"
run --threads 1 -o - --summary-json "$T/o/summary-1.json" >"$T/o/stdout-1.csv"
"$PYTHON" - "$T/o" fixtures/demo/roster.csv fixtures/demo/results-site1.csv fixtures/demo/results-site2.csv <<'PY'
import csv, os, stat, sys, unicodedata, zipfile
out, inputs = sys.argv[1], sys.argv[2:]
ID_COLS = {"身份证号", "证件号码"}
PHONE_COLS = {"手机号", "联系电话"}
W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
def forms(v, is_id):
    v = v.strip()
    n = unicodedata.normalize("NFKC", v).replace(" ", "").replace("-", "").upper()
    f = {v, n, n.lower()}
    if is_id and len(n) == 15 and n.isdigit():
        b = n[:6] + "19" + n[6:]
        f.add(b + "10X98765432"[sum(int(c) * w for c, w in zip(b, W)) % 11])
    return {x for x in f if len(x) >= 7 and "*" not in x}
secrets = set()
for path in inputs:
    rows = list(csv.reader(open(path, encoding="utf-8-sig")))
    head = next(i for i, r in enumerate(rows) if ID_COLS & set(r))
    for r in rows[head + 1:]:
        for name, v in zip(rows[head], r):
            if name in ID_COLS or name in PHONE_COLS:
                secrets |= forms(v, name in ID_COLS)
texts = {}
for d, _, files in os.walk(out):
    for f in files:
        p = os.path.join(d, f)
        rel = os.path.relpath(p, out)
        if f != "stderr.txt" and not f.startswith("stdout") and stat.S_IMODE(os.stat(p).st_mode) != 0o600:
            print("mode %o: %s" % (stat.S_IMODE(os.stat(p).st_mode), rel))
        if f.endswith(".xlsx"):
            z = zipfile.ZipFile(p)
            for part in z.namelist():
                texts[rel + ":" + part] = z.read(part).decode("utf-8", "replace")
        else:
            texts[rel] = open(p, encoding="utf-8", errors="replace").read()
leaks = sorted((s, where) for s in secrets for where, t in texts.items() if s in t)
for s, where in leaks:
    print("unmasked %s in %s" % (s, where))
print("%d ids and phones searched for in %d files and workbook parts: %d found"
      % (len(secrets), len(texts), len(leaks)))
print("files:", " ".join(sorted(os.path.relpath(os.path.join(d, f), out)
                               for d, _, fs in os.walk(out) for f in fs)))
PY
