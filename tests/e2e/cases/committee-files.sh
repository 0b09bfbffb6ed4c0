# Committee files (DESIGN.md section 1; issue 14 items 3, 4, 5, 7; issue 13
# item 4): headers by key words, bilingual and bracketed; lines that are
# not data counted as ignored; a sampling date and time in two columns;
# times of day alone never completed by the report time; repeated extras
# kept; two id columns an error. Each roster read with the same results
# gives the same states as fixtures/README.md's table.
F=fixtures/committee
for r in roster-keywords roster-bilingual roster-not-data roster-repeated-notes; do
    echo "== $r"
    $RC merge -q -r $F/$r.csv fixtures/results-title.csv --format csv -o - | cut -d, -f4,7
done
echo "== roster-not-data accounting"
$RC merge -r $F/roster-not-data.csv $F/results-aliases.csv --summary-json - -o "$T/o.csv" | grep -E '"(results|roster)"'
echo "== repeated extras"
head -2 "$T/o.csv" >/dev/null
$RC merge -q -r $F/roster-repeated-notes.csv fixtures/results-title.csv --format csv -o - | head -2
echo "== two ids"
$RC merge -r $F/roster-two-ids.csv fixtures/results-title.csv -o "$T/x.csv"; echo "exit $?"
for f in results-aliases results-date-time results-time-date results-time-only; do
    echo "== $f --day 2022-04-10"
    $RC merge -r fixtures/roster-utf8-bom.csv $F/$f.csv --day 2022-04-10 --format csv -o - | cut -d, -f4,7,9
done
echo "== unrecognised columns"
$RC merge -r fixtures/roster-utf8-bom.csv $F/results-unrecognised.csv --summary-json - -o "$T/u.csv" | grep -A3 '"warnings"'
$RC merge -r fixtures/roster-utf8-bom.csv $F/results-time-only.csv --summary-json - -o "$T/u.csv" | grep -A2 '"warnings"'
echo "== check"
$RC check $F/roster-not-data.csv $F/roster-bilingual.csv $F/roster-keywords.csv $F/results-date-time.csv \
    $F/results-aliases.csv $F/results-unrecognised.csv $F/results-time-only.csv
echo "exit $?"
