# --config given what is not a config file (issue 13 item 12). A FIFO no
# one writes to used to block open() for ever: it is refused before
# anything is read, as a device or a directory is, exit 1 (a bad config
# file, README's exit codes); `timeout` stops a run that blocks (exit 124).
# A file larger than 16 MiB is refused before it is read. A vocabulary of
# 200,000 words that PCRE2 cannot compile as one regex fails with a message
# of a line, naming the state and the count, never quoting the regex; one
# bad entry among them is quoted alone.
r=fixtures/example/roster.csv
res=fixtures/example/results.csv
mkfifo "$T/fifo.ini"
timeout 10 $RC merge --config "$T/fifo.ini" -r $r $res -o "$T/o.csv"
echo "fifo: exit $?"
timeout 10 $RC check --config "$T/fifo.ini" $r
echo "fifo, check: exit $?"
timeout 10 $RC merge --config /dev/zero -r $r $res -o "$T/o.csv"
echo "character device: exit $?"
mkdir "$T/dir.ini"
$RC merge --config "$T/dir.ini" -r $r $res -o "$T/o.csv"
echo "directory: exit $?"
truncate -s 17M "$T/big.ini"
$RC merge --config "$T/big.ini" -r $r $res -o "$T/o.csv"
echo "17 MiB: exit $?"
"$PYTHON" - "$T" <<'PY'
import sys
t = sys.argv[1]
words = ["阴性%d" % i for i in range(200000)]
open(t + "/huge.ini", "w").write("[vocabulary]\nnegative = " + ";".join(words) + "\n")
open(t + "/bad.ini", "w").write("[vocabulary]\nnegative = " + ";".join(words[:100000] + ["阴性(未复核"] + words[100000:]) + "\n")
PY
$RC merge --config "$T/huge.ini" -r $r $res -o "$T/o.csv" 2>"$T/err"
echo "200,000 words: exit $?, $(wc -l <"$T/err") line, under 300 bytes: $([ $(wc -c <"$T/err") -lt 300 ] && echo yes)"
cat "$T/err" >&2
$RC merge --config "$T/bad.ini" -r $r $res -o "$T/o.csv" 2>"$T/err"
echo "one bad among them: exit $?, $(wc -l <"$T/err") line, under 300 bytes: $([ $(wc -c <"$T/err") -lt 300 ] && echo yes)"
cat "$T/err" >&2
if test -e "$T/o.csv"; then echo "an output was written"; else echo "no output written"; fi
