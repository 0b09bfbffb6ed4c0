# '-' reads results from standard input; its rows are named <stdin>.
cat fixtures/example/results.csv | $RC merge -r fixtures/example/roster.csv --day 2022-04-10 - --problems - -o "$T/r.csv"
echo "exit $?"
