# An output that is an input (by the same name, another spelling, a symbolic
# or a hard link), or the same file as another output, is refused before
# anything is read: exit 1 naming both, every input as it was (issue 13
# item 3). Two outputs to /dev/null are not the same file in this sense.
mkdir -p "$T/d/sub" "$T/split"
cp fixtures/demo/roster.csv fixtures/demo/results-site1.csv fixtures/demo/results-site2.csv "$T/d/"
printf '[aliases]\nid = 证件号码\n' > "$T/d/rollcall.ini"
ln -s roster.csv "$T/d/link.csv"
ln "$T/d/results-site1.csv" "$T/d/hard.csv"
cd "$T/d"
sums() { md5sum roster.csv results-site1.csv results-site2.csv rollcall.ini; }
sums > "$T/before"
in="--day 2022-04-10 -r roster.csv results-site1.csv results-site2.csv"
run() { $RC merge -q "$@"; echo "exit $?"; }
run $in -o roster.csv
run $in --problems ./sub/../results-site2.csv
run $in -o today.csv --unmatched "$T/d/link.csv"
run $in --summary-json hard.csv
run $in --config rollcall.ini -o today.csv --problems ./rollcall.ini
run $in -o x.xlsx --summary-json x.xlsx
run $in -o x.csv --summary-json sub/../x.csv
run $in -o "$T/split/全部楼栋.xlsx" --split-by building -O "$T/split"
sums | diff "$T/before" - && echo "inputs unchanged"
ls -A . sub "$T/split"
run $in -o /dev/null --summary-json /dev/null
run $in -o today.csv --summary-json today.json --problems problems.csv --unmatched unmatched.csv
