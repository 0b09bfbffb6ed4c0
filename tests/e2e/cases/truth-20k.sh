# A generated area of 20,000 residents: every resident's state, match and id
# and every row's outcome agree with the generator's truth.
$PYTHON scripts/gen-city --residents 20000 --results 30000 --seed 7 --out "$T/city" >/dev/null || exit 9
$RC merge --quiet $(cat "$T/city/args") -o "$T/out.csv" --summary-json "$T/s.json" \
    --unmatched "$T/u.csv" --problems "$T/p.csv"
echo "merge exit $?"
$PYTHON tests/e2e/check_truth.py "$T/city" "$T/out.csv" "$T/s.json" "$T/u.csv" "$T/p.csv"
