# --bom (issue 19 item 6): every CSV output starts with a UTF-8 BOM, so that
# Excel on Chinese Windows reads it as UTF-8; TSV, JSON and the summary do
# not; the bytes after the BOM are those of a run without it; rollcall reads
# its own BOM-marked CSV back; --bom with no CSV asked for is a usage error.
ex="-r fixtures/example/roster.csv --day 2022-04-10 fixtures/example/results.csv"
first3() { head -c 3 "$1" | od -An -tx1 | tr -d ' \n'; echo; }
# shellcheck disable=SC2086
$RC merge -q $ex --bom -o "$T/r.csv" --unmatched "$T/u.csv" --problems "$T/p.csv" \
    --door-list "$T/d.csv" --summary-json "$T/s.json"
echo "exit $?"
# shellcheck disable=SC2086
$RC merge -q $ex -o "$T/plain.csv" --unmatched "$T/plain-u.csv" --problems "$T/plain-p.csv" \
    --door-list "$T/plain-d.csv"
for f in r u p d; do
    plain=plain-$f.csv; [ $f = r ] && plain=plain.csv
    echo "$f.csv: $(first3 "$T/$f.csv"); rest the same as without --bom: \
$(tail -c +4 "$T/$f.csv" | cmp -s - "$T/$plain" && echo yes || echo no)"
done
echo "s.json: $(first3 "$T/s.json")"
# standard output too, when it is CSV
# shellcheck disable=SC2086
$RC merge -q $ex --bom | head -c 3 | od -An -tx1
# TSV and JSON main outputs stay without one; the CSV beside them gets it
# shellcheck disable=SC2086
$RC merge -q $ex --bom -o "$T/r.tsv" --problems "$T/p2.csv"
echo "exit $? r.tsv: $(first3 "$T/r.tsv") p2.csv: $(first3 "$T/p2.csv")"
# shellcheck disable=SC2086
$RC merge -q $ex --bom --format json -o "$T/r.json" --unmatched "$T/u2.csv"
echo "exit $? r.json: $(first3 "$T/r.json") u2.csv: $(first3 "$T/u2.csv")"
# read back: the BOM is recognised, the header is the first line
$RC check "$T/r.csv" | grep -E 'encoding|header:'
# nothing to mark
# shellcheck disable=SC2086
$RC merge -q $ex --bom -o "$T/x.json"
echo "exit $?"
# shellcheck disable=SC2086
$RC merge -q $ex --bom --format tsv
echo "exit $?"
