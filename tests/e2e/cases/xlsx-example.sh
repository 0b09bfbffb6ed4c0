# The README's example with the roster, then the results, given as
# workbooks written by openpyxl and LibreOffice (.xlsx and .xls): the output
# is the CSV run's but for source, whose file names the file given and
# whose line is the sheet row (here the same as the CSV line).
x=fixtures/xlsx
csv() { $RC merge -r fixtures/example/roster.csv --day 2022-04-10 fixtures/example/results.csv; }
csv >"$T/csv.out" 2>"$T/csv.err"
for f in roster-openpyxl.xlsx roster-libreoffice.xlsx roster-libreoffice.xls; do
    $RC merge -r "$x/$f" --day 2022-04-10 fixtures/example/results.csv >"$T/out" 2>"$T/err"
    echo "$f: exit $?"
    sed "s/,$f:/,roster.csv:/" "$T/out" | cmp -s - "$T/csv.out" && cmp -s "$T/err" "$T/csv.err" && echo "  same as CSV"
done
for f in results-openpyxl.xlsx results-libreoffice.xlsx results-libreoffice.xls; do
    $RC merge -r fixtures/example/roster.csv --day 2022-04-10 "$x/$f" >"$T/out" 2>"$T/err"
    echo "$f: exit $?"
    cmp -s "$T/out" "$T/csv.out" && sed "s/ $f:/ results.csv:/" "$T/err" | cmp -s - "$T/csv.err" && echo "  same as CSV"
done
# A committee's messy workbook and a lab's: title rows, a hidden sheet,
# ids stored as numbers (the 18-digit one flagged), leading zeros, dates.
$RC merge -r "$x/roster-messy-openpyxl.xlsx" --day 2022-04-10 "$x/results-messy-openpyxl.xlsx"
echo "exit $?"
# Converted by hand with LibreOffice's defaults: every 18-digit id is lost.
$RC merge -q -r "$x/roster-libreoffice-numbers.xlsx" --day 2022-04-10 fixtures/example/results.csv --only missing,exempt
echo "exit $?"
$RC check "$x/roster-messy-openpyxl.xlsx" "$x/results-messy-openpyxl.xlsx" "$x/roster-libreoffice.xls"
echo "exit $?"
$RC check --sheet 旧名单 "$x/roster-messy-openpyxl.xlsx"
echo "exit $?"
