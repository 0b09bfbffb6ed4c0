# Output errors exit 3; writing to /dev/full fails, /dev/null is written in place.
$RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv -o "$T/no/such/dir/out.csv"; echo "exit $?"
$RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv -o /dev/full; echo "exit $?"
$RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv -o /dev/null; echo "exit $?"
ls -l /dev/null | cut -c1
$RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv --split-by building -O "$T/nodir"; echo "exit $?"
