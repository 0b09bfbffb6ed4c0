# A directory where a results file (or a roster) should be: an input error
# (exit 2) naming it, before anything is written; check says so too.
mkdir "$T/dir.csv"
echo previous > "$T/out.csv"
$RC merge -r fixtures/example/roster.csv "$T/dir.csv" -o "$T/out.csv"
rc=$?
echo "exit $rc"
$RC merge -r "$T/dir.csv" fixtures/example/results.csv -o "$T/out.csv"
echo "exit $?"
$RC merge -r fixtures/example/roster.csv fixtures/example/results.csv "$T" -o "$T/out.csv"
echo "exit $?"
$RC check "$T/dir.csv"
echo "check exit $?"
cat "$T/out.csv"
exit $rc
