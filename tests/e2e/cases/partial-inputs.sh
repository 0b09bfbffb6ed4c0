# Exports still being copied (issue 19 item 5, docs/cron.md): a results
# file named *.partial is skipped with an input-partial warning (stderr,
# summary JSON), the residents are those of a run without it; a roster so
# named, or results all so named, is an input error (exit 2) with nothing
# written; a name that only contains ".partial" is read.
ex=fixtures/example
mkdir "$T/exports"
cp $ex/results.csv "$T/exports/lab-a.csv"
head -c 300 $ex/results.csv >"$T/exports/lab-b.csv.partial" # cut mid-row, as a copy is
echo "== an hourly run over the folder, one export still being copied"
$RC merge -r $ex/roster.csv --day 2022-04-10 "$T"/exports/* -o "$T/with.csv" --summary-json "$T/s.json"
echo "exit $?"
$RC merge -q -r $ex/roster.csv --day 2022-04-10 "$T/exports/lab-a.csv" -o "$T/without.csv"
cmp "$T/with.csv" "$T/without.csv" && echo "residents: the same as without the .partial file"
sed -n '/"inputs"/,/\]/p;/"warnings"/,/\]/p' "$T/s.json"
echo "== a roster still being copied"
cp $ex/roster.csv "$T/roster.csv.partial"
$RC merge -r "$T/roster.csv.partial" "$T/exports/lab-a.csv" -o "$T/r.csv"
echo "exit $?"
echo "== nothing but .partial results"
$RC merge -r $ex/roster.csv "$T/exports/lab-b.csv.partial" -o "$T/r.csv"
echo "exit $?"
ls "$T" | grep -c '^r\.csv$'
echo "== .partial inside a name is no mark"
cp $ex/results.csv "$T/lab.partial.csv"
$RC merge -q -r $ex/roster.csv --day 2022-04-10 "$T/lab.partial.csv" -o "$T/r.csv"
echo "exit $?"
cmp "$T/r.csv" "$T/without.csv" && echo "read as any other"
