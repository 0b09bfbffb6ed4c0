# A results file that is a FIFO, its writer writing as soon as its open
# returns (issue 13 item 2): each input is opened once and sniffed from
# what was read, so the writer never meets a closed reader (SIGPIPE) and
# every row arrives, 20 runs out of 20. 5,000 rows: more than a pipe holds.
"$PYTHON" - "$T/results.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("姓名,检测结果\n")
    for i in range(5000):
        f.write("居民%d,阴性\n" % i)
PY
printf '姓名\n居民1\n' >"$T/roster.csv"
mkfifo "$T/f.csv"
ok=0
for i in $(seq 20); do
    (cat "$T/results.csv" >"$T/f.csv"; echo $? >"$T/writer") &
    timeout 20 $RC merge -r "$T/roster.csv" "$T/f.csv" -o /dev/null 2>"$T/err"
    rc=$?
    wait
    if [ $rc = 0 ] && [ "$(cat "$T/writer")" = 0 ] && grep -q '^rollcall: 5000 result rows' "$T/err"; then
        ok=$((ok + 1))
    else
        echo "run $i: exit $rc, writer $(cat "$T/writer")"
        cat "$T/err"
    fi
done
echo "$ok of 20 runs read all 5000 rows"
