# A header and no rows is a table of nothing, not an error: results with
# only a header leave every resident missing (or exempt); a roster with only
# a header has no residents, and every result row is unmatched. Exit 0, the
# accounting says 0 rows.
printf '采样时间,姓名,证件号码,检测结果\n' > "$T/results.csv"
printf '楼号,姓名,身份证号,手机号\r\n' > "$T/roster.csv"
$RC merge -r fixtures/example/roster.csv "$T/results.csv" -o "$T/o1.csv"
rc=$?
echo "exit $rc"
cat "$T/o1.csv"
$RC merge -r "$T/roster.csv" fixtures/example/results.csv -o "$T/o2.csv" --unmatched "$T/u.csv"
echo "exit $?"
cat "$T/o2.csv"
cut -d, -f1-4 "$T/u.csv"
$RC check "$T/results.csv" "$T/roster.csv" | grep -E 'kind|rows'
exit $rc
