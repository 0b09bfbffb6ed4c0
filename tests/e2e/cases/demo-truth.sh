# The hand-checked demo area: every resident's state, match and id, and
# every row's outcome, as fixtures/demo's truth files say.
$RC merge --quiet $(cat fixtures/demo/args) -o "$T/out.csv" --summary-json "$T/s.json" \
    --unmatched "$T/u.csv" --problems "$T/p.csv"
echo "merge exit $?"
$PYTHON tests/e2e/check_truth.py fixtures/demo "$T/out.csv" "$T/s.json" "$T/u.csv" "$T/p.csv"
