# Masked names and phones, lost digits (DESIGN.md sections 2 and 3.2; issue
# 15 item 6): a masked name rescues with a full phone (flagged name-masked);
# a masked phone counts when its visible digits agree; an id Excel stored as
# a number keeps 15 digits and rescues as a masked id, in the results or in
# the roster; a permit number that lost its leading zero agrees; a masked id
# showing only the area code, and a masked name of another length, confirm
# nothing.
F=fixtures/masked
$RC merge -q -r $F/roster.csv $F/results.csv --format csv -o - | cut -d, -f4,7,10,11
$RC merge -r $F/roster.csv $F/results.csv --summary-json - -o "$T/o.csv" | grep -E '"(results|matches)"'
$RC merge -q -r $F/roster.csv $F/results.csv --unmatched "$T/u.csv" -o "$T/o.csv"; cut -d, -f2,4 "$T/u.csv"
