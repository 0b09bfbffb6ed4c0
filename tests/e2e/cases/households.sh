# Households (DESIGN.md section 3.2; issue 15 item 5): a child's sample
# registered under a parent's id is the child's (name+household); a child
# tested with the phone only the 户主 row has is found through the
# household; a phone cell of two numbers holds two phones. The same roster
# with a 户号 column instead of rooms gives the same answer.
F=fixtures/households
$RC merge -q -r $F/roster.csv $F/results.csv --format csv -o - | cut -d, -f1-4,7,10,11
$RC merge -r $F/roster.csv $F/results.csv --summary-json - -o "$T/o.csv" | grep -E '"(results|matches)"'
echo "== 户号"
$RC merge -q -r $F/roster-huhao.csv $F/results.csv --format csv -o - | cut -d, -f1-4,7,10,11
echo "== unmatched"
$RC merge -q -r $F/roster.csv $F/results.csv --unmatched "$T/u.csv" -o "$T/o.csv"; cut -d, -f1-5 "$T/u.csv"
