# --fail-on: exit 4 when a resident is in one of the states, outputs written.
$RC merge -q -r fixtures/example/roster.csv --day 2022-04-10 fixtures/example/results.csv --fail-on positive -o "$T/r.csv"; echo "exit $?"
wc -l < "$T/r.csv"
$RC merge -q -r fixtures/example/roster.csv --day 2022-04-10 fixtures/example/results.csv --fail-on invalid,pending -o "$T/r.csv"; echo "exit $?"
