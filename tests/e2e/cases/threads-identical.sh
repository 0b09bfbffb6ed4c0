# Parsing in its own thread changes nothing: outputs are byte-identical to
# a single-threaded run on a generated area with every kind of mess.
$PYTHON scripts/gen-city --names uniform --residents 5000 --results 8000 --seed 11 --out "$T/city" >/dev/null || exit 9
for n in 1 2; do
    $RC merge --quiet --threads $n $(cat "$T/city/args") -o "$T/out$n.csv" --summary-json "$T/s$n.json" \
        --unmatched "$T/u$n.csv" --problems "$T/p$n.csv"
    echo "threads $n exit $?"
done
for k in out s u p; do
    case $k in s) e=json ;; *) e=csv ;; esac
    cmp "$T/${k}1.$e" "$T/${k}2.$e" && echo "$k identical"
done
