# Merged cells and "same as above" in a roster's place columns (DESIGN.md
# section 1): the building merged down its rows and units merged too reach
# the reader as empty cells below the first, rooms as 同上 or 〃; each takes
# the row above's value in the sheet and the resident is flagged
# place-inherited. Ids and phones never inherit (陈四 has no id, 褚五 no
# phone). Before, 7 of 8 residents had no building.
printf '采样时间,姓名,证件号码,检测结果\n2022-04-10 09:00,卫六,110101199001060266,阴性\n' > "$T/results.csv"
$RC merge -r fixtures/xlsx/roster-merged-openpyxl.xlsx --day 2022-04-10 "$T/results.csv" \
    --summary-json "$T/s.json"
echo "exit $?"
"$PYTHON" -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["buildings"], ensure_ascii=False, sort_keys=True))' "$T/s.json"
$RC check fixtures/xlsx/roster-merged-openpyxl.xlsx | grep -E 'sheets|rows'
