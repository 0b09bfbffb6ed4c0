# The workbook read back by an independent reader (openpyxl): sheets, counts
# equal to the summary JSON, strings for ids and phones, fills, print setup.
$RC merge -q -r fixtures/example/roster.csv --day 2022-04-10 fixtures/example/results.csv \
    -o "$T/w.xlsx" --summary-json "$T/s.json"; echo "exit $?"
$PYTHON tests/e2e/xlsx_check.py "$T/w.xlsx" "$T/s.json" >/dev/null && echo "zh ok"
$RC merge -q -r fixtures/example/roster.csv --day 2022-04-10 fixtures/example/results.csv --lang en --mask \
    -o "$T/m.xlsx" --summary-json "$T/s.json"; echo "exit $?"
$PYTHON tests/e2e/xlsx_check.py "$T/m.xlsx" "$T/s.json" --lang en --masked >/dev/null && echo "en masked ok"
mkdir "$T/split"
$RC merge -q -r fixtures/example/roster.csv --day 2022-04-10 fixtures/example/results.csv --split-by building -O "$T/split"; echo "exit $?"
ls "$T/split"
