# A generated area of 20,000 residents: every resident's state, match, id,
# building, unit, status and flags and every row's outcome agree with the
# generator's truth — issue 15's cases among them (result words, times,
# statuses, the same sample twice, files given newer first, households,
# masked names and phones, lost digits, places).
$PYTHON scripts/gen-city --names uniform --residents 20000 --results 30000 --seed 7 --out "$T/city" >/dev/null || exit 9
$RC merge --quiet $(cat "$T/city/args") -o "$T/out.csv" --summary-json "$T/s.json" \
    --unmatched "$T/u.csv" --problems "$T/p.csv"
echo "merge exit $?"
$PYTHON tests/e2e/check_truth.py "$T/city" "$T/out.csv" "$T/s.json" "$T/u.csv" "$T/p.csv"
# DESIGN.md section 3.3: the same answer with the result files given the
# other way round (the newer export last instead of first)
$RC merge --quiet $(grep -v 'results-' "$T/city/args") $(grep 'results-' "$T/city/args" | sort -r) \
    -o "$T/rev.csv" --summary-json "$T/rev.json" --unmatched "$T/ru.csv" --problems "$T/rp.csv"
echo "files reversed: merge exit $?"
$PYTHON tests/e2e/check_truth.py "$T/city" "$T/rev.csv" "$T/rev.json" "$T/ru.csv" "$T/rp.csv"
