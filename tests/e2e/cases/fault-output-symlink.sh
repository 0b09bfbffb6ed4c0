# Whoever can write to the output folder must not be able to redirect a
# (root's cron) run: an output name that is a symbolic link is replaced by
# the output, never followed, for every kind of output (issue 13 item 6).
# The file the link named is left as it was, and no temporary is made in
# its directory. Temporaries of the same outputs that a killed run left
# (older than this run, held by no one) are removed; an unrelated file in
# the same shape stays.
mkdir "$T/out" "$T/elsewhere"
for f in passwd book summary; do echo "precious $f" > "$T/elsewhere/$f"; done
ln -s "$T/elsewhere/passwd" "$T/out/today.csv"
ln -s "$T/elsewhere/book" "$T/out/today.xlsx"
ln -s "$T/elsewhere/summary" "$T/out/summary.json"
ln -s "$T/elsewhere/unmatched" "$T/out/unmatched.csv"  # dangling
echo partial > "$T/out/.today.csv.Ab3xZ9"
echo partial > "$T/out/.today.xlsx.Qq7Rr1"
echo partial > "$T/out/.notes.txt.Ab3xZ9"
touch -d '2022-04-09 10:00' "$T/out/.today.csv.Ab3xZ9" "$T/out/.today.xlsx.Qq7Rr1" "$T/out/.notes.txt.Ab3xZ9"
args=$(cat fixtures/demo/args)
$RC merge -q $args -o "$T/out/today.csv" --summary-json "$T/out/summary.json" --unmatched "$T/out/unmatched.csv"
echo "csv exit $?"
$RC merge -q $args -o "$T/out/today.xlsx"
echo "xlsx exit $?"
cd "$T/out" && for f in .* *; do
    [ "$f" = . ] || [ "$f" = .. ] || echo "$(stat -c '%A' "$f") $f $(case $f in *.xlsx) head -c 2 "$f";; *) head -c 12 "$f" | tr -c "[:print:]" "?";; esac)"
done
cat "$T/elsewhere/passwd" "$T/elsewhere/book" "$T/elsewhere/summary"
ls -A "$T/elsewhere"
