# A missing input (results or roster): an input error (exit 2) naming the
# file, after the others were read but before any output is written (a cron
# job never publishes a merge that silently missed a file).
echo previous > "$T/out.csv"
$RC merge -r fixtures/example/roster.csv fixtures/example/results.csv "$T/no-such.csv" \
    -o "$T/out.csv" --summary-json "$T/s.json"
rc=$?
echo "exit $rc"
$RC merge -r "$T/no-such-roster.csv" fixtures/example/results.csv -o "$T/out.csv"
echo "exit $?"
$RC check fixtures/example/roster.csv "$T/no-such.csv" >"$T/check.txt"
echo "check exit $?"
grep -E '^[^ ]|rows:' "$T/check.txt"
cat "$T/out.csv"
ls "$T"
exit $rc
