# A GB18030 file whose last character is cut at the end of the file (the
# first byte of the two-byte 性, the first three of a four-byte character):
# an input error (exit 2) naming the line and offset, detected or forced;
# nothing is written. The same file with its last character whole is read.
head='\320\325\303\373,\326\244\274\376\272\305\302\353,\274\354\262\342\275\341\271\373\n\325\305\316\260,110101198001010010,\322\365\320\324\n\263\302\276\262,110101198001010045,\321\364'
printf "$head"'\320\324\n' > "$T/whole.csv"
printf "$head"'\320' > "$T/cut2.csv"
printf "$head"'\320\324\n\225\062\202' > "$T/cut4.csv"
echo previous > "$T/out.csv"
$RC merge -r fixtures/example/roster.csv "$T/cut2.csv" -o "$T/out.csv"
rc=$?
echo "exit $rc"
$RC merge -r fixtures/example/roster.csv "$T/cut4.csv" -o "$T/out.csv"
echo "exit $?"
$RC check --encoding gb18030 "$T/cut4.csv"
echo "check exit $?"
cat "$T/out.csv"
$RC merge -r fixtures/example/roster.csv "$T/whole.csv" -o "$T/out.csv"
echo "exit $?"
grep -E 'negative|positive' "$T/out.csv"
exit $rc
