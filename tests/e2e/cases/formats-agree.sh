# Every format fixture reads to the same rows: the roster in UTF-8 with BOM
# or GB18030, the results as UTF-16LE TSV, semicolons, a title row or an
# embedded newline all give the same residents' states.
i=0
for roster in fixtures/roster-utf8-bom.csv fixtures/roster-gb18030.csv; do
    for res in fixtures/results-utf16le.tsv fixtures/results-semicolon.csv fixtures/results-title.csv \
               fixtures/results-embedded-newline.csv; do
        i=$((i + 1))
        $RC merge -q --day 2022-04-10 -r "$roster" "$res" -o "$T/$i.csv" --summary-json "$T/$i.json"
        echo "$(basename "$roster") + $(basename "$res"): exit $?"
        cut -d, -f1-11 "$T/$i.csv" > "$T/$i.cut"
        grep -E '^  "(results|states)":' "$T/$i.json" > "$T/$i.counts"
    done
done
cat "$T/1.csv"
cat "$T/1.counts"
for k in 2 3 4 5 6 7 8; do
    cmp -s "$T/1.cut" "$T/$k.cut" && cmp -s "$T/1.counts" "$T/$k.counts" && echo "variant $k agrees" || diff "$T/1.cut" "$T/$k.cut"
done
