# The README's worked example, exactly.
$RC merge -r fixtures/example/roster.csv --day 2022-04-10 fixtures/example/results.csv
echo "exit $?"
