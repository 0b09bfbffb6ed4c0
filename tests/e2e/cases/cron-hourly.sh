# contrib/rollcall-hourly, the job of docs/cron.md (issue 19 item 5): over
# a folder of exports, one still being copied (*.partial); the day's
# outputs written; exit 4 with the alert on stdout and to $ALERT (with the
# summary's path and the code) when a resident is positive or in review;
# silent exit 0 when nobody is; a failure (no roster) alerts with
# rollcall's message; an empty folder merges nothing; a run that finds
# another still going (the lock held) says so and merges nothing (issue 13,
# overlapping cron runs).
ex=$(pwd)/fixtures/example
job=$(pwd)/contrib/rollcall-hourly
mkdir -p "$T/srv/exports"
cp "$ex/roster.csv" "$T/srv/roster.csv"
cp "$ex/results.csv" "$T/srv/exports/lab-a.csv"
head -c 300 "$ex/results.csv" >"$T/srv/exports/lab-b.csv.partial"
cat >"$T/alert" <<'A'
#!/bin/sh
{ echo "args: $1 $2"; cat; } >>"$T/alerts.txt"
A
chmod +x "$T/alert"
run() {
    ROLLCALL_DEFAULTS=/dev/null ROLLCALL_DIR="$T/srv" ROSTER=roster.csv DAY=2022-04-10 \
        ROLLCALL="$RC" ALERT="$T/alert" sh "$job"
    echo "exit $?"
}
echo "== positive and review in the day's exports"
run
ls "$T/srv/out"
echo "-- alert:"
cat "$T/alerts.txt"
rm "$T/alerts.txt"
echo "== nobody positive or in review"
grep -v '阳性' "$ex/results.csv" >"$T/srv/exports/lab-a.csv"
run
[ -e "$T/alerts.txt" ] || echo "no alert"
echo "== no roster"
rm "$T/srv/roster.csv"
run
cat "$T/alerts.txt"
echo "== no export yet"
rm "$T/srv/exports/"*
run
echo "== another run still going (it holds the lock)"
cp "$ex/roster.csv" "$T/srv/roster.csv"
cp "$ex/results.csv" "$T/srv/exports/lab-a.csv"
rm -f "$T/srv/out/"*
flock "$T/srv/out/.rollcall-hourly.lock" sh -c "$(cat <<'S'
ROLLCALL_DEFAULTS=/dev/null ROLLCALL_DIR="$T/srv" ROSTER=roster.csv DAY=2022-04-10 ROLLCALL="$RC" sh "$0"
echo "exit $?"
S
)" "$job"
ls "$T/srv/out"
echo "lock file mode: $(stat -c %a "$T/srv/out/.rollcall-hourly.lock")"
echo "== the lock free again"
run >/dev/null
ls "$T/srv/out"
