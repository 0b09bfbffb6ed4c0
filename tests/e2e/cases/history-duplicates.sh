# The same sample twice on an earlier day of a history counts as a
# duplicate, as it does on the last day and in a single window (DESIGN.md
# section 3.3): 2 duplicates with --days as with --since/--until.
printf '姓名,身份证号\n甲,110101198001010011\n' > "$T/r.csv"
printf '姓名,身份证号,结果,采样时间\n甲,110101198001010011,阴性,2022-04-09 08:00\n甲,110101198001010011,阴性,2022-04-09 08:00\n甲,110101198001010011,阴性,2022-04-10 08:00\n甲,110101198001010011,阴性,2022-04-10 08:00\n' > "$T/s.csv"
$RC merge -q -r "$T/r.csv" "$T/s.csv" --days 2022-04-09..2022-04-10 --format csv -o /dev/null --summary-json "$T/d.json"
echo "days exit $?"
$RC merge -q -r "$T/r.csv" "$T/s.csv" --since 2022-04-09 --until 2022-04-11 --format csv -o /dev/null --summary-json "$T/w.json"
echo "window exit $?"
"$PYTHON" -c 'import json,sys; [print(p.split("/")[-1], json.load(open(p))["results"]["duplicate"]) for p in sys.argv[1:]]' "$T/d.json" "$T/w.json"
