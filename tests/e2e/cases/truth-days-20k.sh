# A generated history (DESIGN.md section 6): 20,000 residents over 7 days,
# one export a day in rotating formats, 2022-04-06's export missing. Every
# resident's state on every day, its last negative, hours since, days
# missed in a row, days tested and overdue (--valid 72, with last
# negatives exactly 72 hours before --now and a minute more), and every
# row's outcome agree with the plan gen-city --days made the rows from.
$PYTHON scripts/gen-city --names uniform --days 7 --residents 20000 --results 0 --seed 17 --no-export-day 2022-04-06 \
    --out "$T/city" >/dev/null || exit 9
$RC merge --quiet $(cat "$T/city/args") -o "$T/out.csv" --summary-json "$T/s.json" \
    --unmatched "$T/u.csv" --problems "$T/p.csv"
echo "merge exit $?"
$PYTHON tests/e2e/check_truth_days.py "$T/city" "$T/out.csv" "$T/s.json" "$T/u.csv" "$T/p.csv"
echo "check exit $?"
# the cases the truth holds, so that a generator that stopped making them shows here
cut -d, -f18 "$T/city/truth-days.csv" | grep -E '^(exempt|lapsed|never|two-samples|midnight|valid-exact|valid-minute-over)$' \
    | sort | uniq -c | awk '{ print $2, ($1 > 0) }'
