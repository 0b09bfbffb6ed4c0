#!/bin/sh
# bench-table: throughput of source + table (decoding, libcsv, header roles,
# every row handed on) on the 200 MB files of bench-source, measured as
# `rollcall check` (which does nothing else with the rows), in both the
# default pipeline (parsing in its own thread) and --threads 1, beside
# `wc -l` on the same file as the floor. Targets (issue "Foundation"):
# UTF-8 at least 300 MB/s, GB18030 at least 80 MB/s.
# Usage: BUILD=build sh scripts/bench/bench-table.sh ROLLCALL   (RUNS=3)
set -eu
cd "$(dirname "$0")/../.."
RC=$1
BUILD=${BUILD:-build}
RUNS=${RUNS:-3}
dir=$BUILD/bench
utf8=$dir/source-utf8-200m.csv
gb=$dir/source-gb18030-200m.csv
[ -s "$utf8" ] && [ -s "$gb" ] || { echo "bench-table: run bench-source.sh first" >&2; exit 1; }

best() { # best wall seconds of RUNS runs of the command
    b=""
    i=0
    while [ $i -lt "$RUNS" ]; do
        s=$(date +%s.%N)
        "$@" >/dev/null
        e=$(date +%s.%N)
        t=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')
        if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b=$t; fi
        i=$((i + 1))
    done
    echo "$b"
}

printf 'bench-table: source + table, best of %s runs (%s cores)\n' "$RUNS" "$(nproc)"
printf '%-10s %8s %12s %12s %12s\n' file MB "wc -l MB/s" "check MB/s" "1 thread"
for f in "$utf8" "$gb"; do
    mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", b / 1e6 }')
    w=$(best wc -l "$f")
    c=$(best "$RC" check "$f")
    c1=$(best "$RC" check --threads 1 "$f")
    printf '%-10s %8s %12.0f %12.0f %12.0f\n' "$(basename "$f" | sed 's/source-//; s/-200m.csv//')" "$mb" \
        "$(awk -v m="$mb" -v t="$w" 'BEGIN { print m / t }')" \
        "$(awk -v m="$mb" -v t="$c" 'BEGIN { print m / t }')" \
        "$(awk -v m="$mb" -v t="$c1" 'BEGIN { print m / t }')"
done
