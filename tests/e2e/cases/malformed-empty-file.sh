# An empty file (0 bytes) has no header: an input error (exit 2) naming it,
# as results or as a roster, and nothing is written: the previous output
# stays. check reports it and exits 2 too.
: > "$T/empty.csv"
echo previous > "$T/out.csv"
$RC merge -r fixtures/example/roster.csv "$T/empty.csv" -o "$T/out.csv"
rc=$?
echo "exit $rc"
$RC merge -r "$T/empty.csv" fixtures/example/results.csv -o "$T/out.csv"
echo "exit $?"
$RC check "$T/empty.csv"
echo "check exit $?"
cat "$T/out.csv"
ls "$T"
exit $rc
