# Input errors exit 2 and leave an existing output untouched.
echo previous > "$T/out.csv"
$RC merge -q -r fixtures/example/roster.csv "$T/no-such.csv" -o "$T/out.csv"; echo "exit $?"
$RC merge -q -r fixtures/example/roster.csv fixtures -o "$T/out.csv"; echo "exit $?"
printf 'just,some,words\n1,2,3\n' > "$T/nohdr.csv"
$RC merge -q -r fixtures/example/roster.csv "$T/nohdr.csv" -o "$T/out.csv"; echo "exit $?"
printf '姓名,结果\n张三,阴性\n\377\376,阳性\n' > "$T/bad.csv"
$RC merge -q -r fixtures/example/roster.csv --encoding utf-8 "$T/bad.csv" -o "$T/out.csv"; echo "exit $?"
cat "$T/out.csv"
ls -a "$T" | grep -c '^\.out' || true
