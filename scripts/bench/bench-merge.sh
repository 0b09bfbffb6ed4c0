#!/bin/sh
# bench-merge: rollcall merge beside the fair pandas script on the same
# generated files in one run: wall time (median of RUNS) and peak RSS from
# /usr/bin/time, and the ratio to rollcall.
# Inputs are generated once by scripts/gen-city --plain and cached under
# $BUILD/bench/. Target (issue "The merge"): 1,000,000 residents + 2,000,000
# results to CSV in under 3 s wall and under 600 MB peak RSS.
# Usage: BUILD=build sh scripts/bench/bench-merge.sh ROLLCALL
#        (RESIDENTS=1000000 RESULTS=2000000 RUNS=3 PANDAS=1)
set -eu
cd "$(dirname "$0")/../.."
RC=$1
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
RESIDENTS=${RESIDENTS:-1000000}
RESULTS=${RESULTS:-2000000}
RUNS=${RUNS:-3}
PANDAS=${PANDAS:-1}
out=$BUILD/bench/out
mkdir -p "$out"
BENCH=bench-merge
# shellcheck source=scripts/bench/common.sh
. scripts/bench/common.sh
city_inputs

# shellcheck disable=SC2086
rc=$(median_of_runs "$RC" merge --quiet $args -o "$out/rollcall.csv" --summary-json "$out/summary.json")
rc_wall=${rc% *}
rc_kb=${rc#* }
printf '\nbench-merge: %s residents + %s results to CSV (%s cores)\n' "$RESIDENTS" "$RESULTS" "$(nproc)"
printf '%-22s %10s %12s %10s\n' contender "wall (s)" "peak RSS MB" "x rollcall"
printf '%-22s %10s %12d %10s\n' rollcall "$rc_wall" $((rc_kb / 1024)) 1.0
if [ "$PANDAS" = 1 ]; then
    # shellcheck disable=SC2086
    pd=$(RUNS=1 median_of_runs "$PYTHON" scripts/bench/merge_pandas.py $args -o "$out/pandas.csv")
    pd_wall=${pd% *}
    pd_kb=${pd#* }
    printf '%-22s %10s %12d %10s\n' "pandas (fair script)" "$pd_wall" $((pd_kb / 1024)) \
        "$(awk -v a="$pd_wall" -v b="$rc_wall" 'BEGIN { printf "%.1f", a / b }')"
fi
