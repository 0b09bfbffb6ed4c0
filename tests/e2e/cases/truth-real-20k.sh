# A generated area of 20,000 residents whose names repeat as they do in life
# (gen-city --names real, issue 16 item 1): the commonest names held by
# some 25 residents each, 4% of the result rows needing rescue among them
# (phones, id typos, masked ids, households, visitors sharing a resident's
# name). Every resident's state, match, id, building, unit, status and flags
# and every row's outcome agree with the generator's truth (DESIGN.md
# section 3.2: a rescue that keeps several residents matches none).
$PYTHON scripts/gen-city --names real --residents 20000 --results 30000 --seed 7 --out "$T/city" >/dev/null || exit 9
$RC merge --quiet $(cat "$T/city/args") -o "$T/out.csv" --summary-json "$T/s.json" \
    --unmatched "$T/u.csv" --problems "$T/p.csv"
echo "merge exit $?"
$PYTHON tests/e2e/check_truth.py "$T/city" "$T/out.csv" "$T/s.json" "$T/u.csv" "$T/p.csv"
# what --names real promises, so that a generator that stopped making it
# shows here: names shared, rescue of each kind, namesake visitors
$PYTHON - "$T/city" <<'EOF'
import collections, csv, sys
d = sys.argv[1]
names = collections.Counter()
for f in ("roster-1.csv", "roster-2.csv"):
    enc = "utf-8-sig" if f == "roster-1.csv" else "gb18030"
    rows = list(csv.reader(open(f"{d}/{f}", encoding=enc, newline="")))
    head = next(k for k, r in enumerate(rows) if "姓名" in r)
    col = rows[head].index("姓名")
    names.update(r[col].replace(" ", "") for r in rows[head + 1:] if len(r) > col)
rows = list(csv.DictReader(open(f"{d}/truth-results.csv", encoding="utf-8")))
kinds = collections.Counter(r["match"] for r in rows if r["outcome"] == "applied")
cases = collections.Counter(r["case"] for r in rows)
rescue = sum(v for k, v in kinds.items() if k != "id") + sum(1 for r in rows if r["outcome"] == "unmatched")
visitors = cases["visitor"] + cases["visitor-namesake"] + cases["visitor-resident-phone"]
print("commonest name held by 20 or more:", max(names.values()) >= 20)
print("the 10 commonest names held by 1% or more:", sum(v for _, v in names.most_common(10)) >= 0.01 * sum(names.values()))
print("rows needing rescue 3-5%:", 0.03 <= rescue / len(rows) <= 0.05)
for k in ("name+phone", "name+household", "name+id-typo", "name+masked-id"):
    print(k, kinds[k] > 0)
print("visitors sharing a resident's name 30-50%:", 0.3 <= cases["visitor-namesake"] / visitors <= 0.5)
print("ambiguous masked ids:", cases["ambiguous-masked-id"] > 0)
EOF
