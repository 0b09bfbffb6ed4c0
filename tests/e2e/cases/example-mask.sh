# --mask: no full id or phone of the fixture in any output or message.
$RC merge -r fixtures/example/roster.csv --mask --day 2022-04-10 fixtures/example/results.csv \
    --unmatched "$T/u.csv" --problems "$T/p.csv" --summary-json "$T/s.json" -o "$T/r.csv" 2>"$T/err"
echo "exit $?"
cat "$T/r.csv" "$T/u.csv" "$T/p.csv"
leaks=0
for v in $(cut -d, -f5,6 fixtures/example/roster.csv | tail -n +2 | tr ',' ' ') \
         $(cut -d, -f3,4 fixtures/example/results.csv | tail -n +2 | tr ',' ' '); do
    case "$v" in *E+*|*-*) continue ;; esac
    for f in "$T/r.csv" "$T/u.csv" "$T/p.csv" "$T/s.json" "$T/err"; do
        if grep -q -- "$v" "$f"; then echo "unmasked $v in $(basename "$f")"; leaks=1; fi
    done
done
echo "leaks $leaks"
