$RC check fixtures/example/roster.csv fixtures/example/results.csv
echo "exit $?"
