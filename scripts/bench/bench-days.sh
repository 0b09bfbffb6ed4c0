#!/bin/sh
# bench-days: a history (DESIGN.md section 6; issue 17 item 5). RESIDENTS
# residents x DAYS days x PERDAY results a day to CSV with --days, beside a
# single run over the same rows as one window (--since FROM --until TO), and
# both runs' peak RSS. Targets: the history within 1.2x the single run's
# wall time, under 1 GiB peak RSS.
# Inputs, made once under $BUILD/bench/: scripts/bench/gen-plain-city.py
# writes RESIDENTS residents and CHUNKS x PERDAY result rows (each row a
# resident drawn at random, at one of 43,200 times of day, so that nearly
# every row is a distinct sample: the summary line counts them), cut into
# PERDAY-row days; day k is chunk
# k mod CHUNKS with its date rewritten (CHUNKS=DAYS, the default: every day
# its own rows; fewer chunks only save generation time, the merge reads
# DAYS x PERDAY rows either way).
# The machine is shared: before each run the 1-minute load average must be
# below MAXLOAD, waited for up to WAIT times 30 s; the load is printed.
# Usage: BUILD=build sh scripts/bench/bench-days.sh ROLLCALL
#        (RESIDENTS=1000000 DAYS=14 PERDAY=1000000 CHUNKS=DAYS RUNS=3 MAXLOAD=1.5 WAIT=10)
set -eu
cd "$(dirname "$0")/../.."
RC=$1
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
RESIDENTS=${RESIDENTS:-1000000}
DAYS=${DAYS:-14}
PERDAY=${PERDAY:-1000000}
CHUNKS=${CHUNKS:-$DAYS}
RUNS=${RUNS:-3}
MAXLOAD=${MAXLOAD:-1.5}
WAIT=${WAIT:-10}
LAST=2022-04-10
out=$BUILD/bench/out
mkdir -p "$out"

src=$BUILD/bench/days-src-$RESIDENTS-$((CHUNKS * PERDAY))
if [ ! -f "$src/args" ]; then
    echo "bench-days: generating $RESIDENTS residents + $((CHUNKS * PERDAY)) results in $src (once)"
    rm -rf "$src"
    "$PYTHON" scripts/bench/gen-plain-city.py --residents "$RESIDENTS" --results $((CHUNKS * PERDAY)) \
        --seed 14 --out "$src"
fi
dir=$BUILD/bench/days-$RESIDENTS-$DAYS-$PERDAY-$CHUNKS
first=$(date -u -d "$LAST - $((DAYS - 1)) days" +%F)
if [ ! -f "$dir/done" ]; then
    echo "bench-days: cutting $DAYS days of $PERDAY rows into $dir (once)"
    rm -rf "$dir"
    mkdir -p "$dir"
    k=0
    while [ $k -lt "$DAYS" ]; do
        day=$(date -u -d "$first + $k days" +%F)
        c=$((k % CHUNKS))
        # gen-plain-city samples every row on 2022-04-10, at the start of its line
        { echo "采样时间,姓名,证件号码,手机号,检测结果"
          sed -n "$((2 + c * PERDAY)),$((1 + (c + 1) * PERDAY))p" "$src/results.csv" | sed "s/^$LAST /$day /"
        } >"$dir/results-$day.csv"
        k=$((k + 1))
    done
    touch "$dir/done"
fi

load() { cut -d' ' -f1 /proc/loadavg; }
# Waits for a quiet machine; prints the load the run starts at.
quiet() {
    i=0
    while [ $i -lt "$WAIT" ] && awk -v l="$(load)" -v m="$MAXLOAD" 'BEGIN { exit !(l >= m) }'; do
        echo "bench-days: load $(load), waiting" >&2
        sleep 30
        i=$((i + 1))
    done
    load
}
# One run: "WALL_SECONDS PEAK_KB LOAD".
run() {
    l=$(quiet)
    /usr/bin/time -f "%e %M" -o "$out/days.time" "$@" >/dev/null 2>"$out/days.stderr" || {
        echo "bench-days: failed: $*" >&2; cat "$out/days.stderr" >&2; exit 1; }
    echo "$(cat "$out/days.time") $l"
}

single="--since $first --until $LAST"
history="--days $first..$LAST"
: >"$out/days.single"
: >"$out/days.history"
i=0
while [ $i -lt "$RUNS" ]; do     # alternated, so that a change of load falls on both
    # shellcheck disable=SC2086
    run "$RC" merge --quiet -r "$src/roster.csv" $single "$dir"/results-*.csv \
        -o "$out/days-single.csv" --summary-json "$out/days-single.json" >>"$out/days.single"
    # shellcheck disable=SC2086
    run "$RC" merge --quiet -r "$src/roster.csv" $history "$dir"/results-*.csv \
        -o "$out/days-history.csv" --summary-json "$out/days-history.json" >>"$out/days.history"
    i=$((i + 1))
done
median() { sort -n "$1" | awk -v n="$RUNS" 'NR == int((n + 1) / 2) { print }'; }
s=$(median "$out/days.single")
h=$(median "$out/days.history")
# the same rows were read and applied both ways
"$PYTHON" - "$out/days-single.json" "$out/days-history.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["results"] for p in sys.argv[1:3])
keys = ("rows", "applied", "out_of_window", "unmatched", "problem", "ignored")
if any(a[k] != b[k] for k in keys):
    sys.exit("bench-days: the single run and the history read different rows: %s / %s" % (a, b))
print("bench-days: both runs: %d rows, %d applied, %d unmatched; duplicates counted: single %d, history %d;"
      " distinct samples applied: single %d, history %d"
      % (a["rows"], a["applied"], a["unmatched"], a["duplicate"], b["duplicate"],
         a["applied"] - a["duplicate"], b["applied"] - b["duplicate"]))
PY
printf '\nbench-days: %s residents x %s days x %s results a day (%s distinct chunks) to CSV (%s cores)\n' \
    "$RESIDENTS" "$DAYS" "$PERDAY" "$CHUNKS" "$(nproc)"
printf '%-34s %9s %12s %8s %s\n' run "wall (s)" "peak RSS MB" "load" "all runs (wall RSS-KB load)"
# shellcheck disable=SC2086
set -- $s
printf '%-34s %9s %12d %8s %s\n' "single window (--since/--until)" "$1" $(($2 / 1024)) "$3" "$(tr '\n' ';' <"$out/days.single")"
sw=$1
# shellcheck disable=SC2086
set -- $h
printf '%-34s %9s %12d %8s %s\n' "history (--days, $DAYS days)" "$1" $(($2 / 1024)) "$3" "$(tr '\n' ';' <"$out/days.history")"
awk -v a="$1" -v b="$sw" -v kb="$2" 'BEGIN { printf "history / single: %.2fx (target <= 1.2x); peak RSS %d MiB (target < 1024)\n", a / b, kb / 1024 }'
