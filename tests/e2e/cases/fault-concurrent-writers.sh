# Two merges writing the same output at once both finish (exit 0) and the
# file is one complete output, byte for byte what one merge alone writes:
# each writes its own temporary and renames it into place, the last rename
# wins whole. A CSV of 100,000 residents, then a workbook of 30,000; no
# temporary is left behind.
"$PYTHON" scripts/bench/gen-plain-city.py --residents 100000 --results 100000 --out "$T/big"
"$PYTHON" scripts/bench/gen-plain-city.py --residents 30000 --results 30000 --out "$T/small"
mkdir "$T/d" "$T/ref"
for kind in big:csv small:xlsx; do
    data=${kind%:*}
    ext=${kind#*:}
    args="--day 2022-04-10 -r $T/$data/roster.csv $T/$data/results.csv"
    $RC merge -q $args -o "$T/ref/out.$ext"
    $RC merge -q $args -o "$T/d/out.$ext" & a=$!
    $RC merge -q $args -o "$T/d/out.$ext" & b=$!
    wait $a; ca=$?
    wait $b; cb=$?
    echo "$ext: exits $ca $cb"
    cmp "$T/d/out.$ext" "$T/ref/out.$ext" && echo "$ext: one complete output, as one merge writes it"
done
"$PYTHON" -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print("workbook:", "intact" if z.testzip() is None else "damaged", len(z.namelist()), "parts")' "$T/d/out.xlsx"
ls -A "$T/d"
