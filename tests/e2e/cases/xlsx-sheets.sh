# Every sheet of a workbook is read (DESIGN.md section 1): a roster kept one
# sheet per building behind a cover and a 汇总 sheet (no building column:
# each sheet's name is the building); a results export paged over three
# sheets; one split into 阴性 and 阳性及异常, whose positive on the second
# sheet must come out positive and make --fail-on positive exit 4. Sheets
# without a usable header are skipped and named; --sheet restricts, by
# name or number, repeated or as a list; problems are FILE:SHEET:LINE.
x=fixtures/xlsx
r=$x/roster-buildings-openpyxl.xlsx
$RC check "$r" "$x/results-split-openpyxl.xlsx"
echo "exit $?"
$RC merge -r "$r" --day 2022-04-10 "$x/results-paged-openpyxl.xlsx"
echo "exit $?"
$RC merge -q -r "$r" --day 2022-04-10 "$x/results-split-openpyxl.xlsx" --fail-on positive --only positive,review
echo "exit $?"
# --sheet restricts, repeated: the roster's 3号楼 (its sheet 2, 汇总, has no
# header) and the results' sheet 2 (3号楼 is not theirs): 吴六 is missing
$RC merge -q -r "$r" --day 2022-04-10 --sheet 3号楼 --sheet 2 "$x/results-split-openpyxl.xlsx" 2>&1
echo "exit $?"
$RC merge -q -r "$r" --day 2022-04-10 --sheet '1号楼, 阳性及异常' "$x/results-split-openpyxl.xlsx" --summary-json - -o /dev/null |
    "$PYTHON" -c 'import json, sys; s = json.load(sys.stdin); print(s["roster"], s["results"])'
echo "exit $?"
# a result row that is a problem, located on its sheet
"$PYTHON" - "$x/results-split-openpyxl.xlsx" "$T/bad.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb["阳性及异常"].cell(row=3, column=4, value="阴x")
wb.save(sys.argv[2])
PY
$RC merge -r "$r" --day 2022-04-10 "$T/bad.xlsx" -o /dev/null 2>&1 | grep unknown
