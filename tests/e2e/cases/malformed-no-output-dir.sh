# An output in a directory that does not exist: an output error (exit 3)
# naming it. Outputs are written in order (residents, unmatched, problems,
# summary): those already renamed into place stay, the failing one and the
# rest are not written; nothing temporary is left.
mkdir "$T/d"
$RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv -o "$T/no/such/dir/out.csv"
rc=$?
echo "exit $rc"
$RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv -o "$T/d/out.csv" \
    --unmatched "$T/d/u.csv" --problems "$T/nodir/p.csv" --summary-json "$T/d/s.json"
echo "exit $?"
$RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv -o "$T/nodir/out.xlsx"
echo "exit $?"
$RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv --split-by building -O "$T/nodir"
echo "exit $?"
ls -A "$T/d"
exit $rc
