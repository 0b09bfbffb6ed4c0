# Every pipeline output of the worked example, and their modes.
$RC merge -q -r fixtures/example/roster.csv --day 2022-04-10 fixtures/example/results.csv \
    -o "$T/r.tsv" --unmatched "$T/u.csv" --problems "$T/p.csv" --summary-json "$T/s.json"
echo "exit $?"
for f in r.tsv u.csv p.csv s.json; do echo "== $f $(stat -c %a "$T/$f")"; cat "$T/$f"; done
$RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv --format json --only positive,review --mode 0640 -o "$T/r.json"
echo "== r.json $(stat -c %a "$T/r.json")"; cat "$T/r.json"
ls -a "$T" | grep -c '^\.r\.' || true
