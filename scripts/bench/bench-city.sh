#!/bin/sh
# make bench-city: a whole city, 25,000,000 residents + 25,000,000 results,
# to CSV and summary JSON (DESIGN.md section 5). Targets: under 2 minutes
# wall and under 8 GiB peak RSS (at most 300 bytes per resident with its
# indexes). Inputs are generated once (scripts/bench/gen-plain-city.py: clean
# rows streamed in constant memory, since gen-city keeps its whole area in
# memory; about 4 GB and ten minutes) under $BUILD/bench/. Not run by CI.
# Usage: BUILD=build sh scripts/bench/bench-city.sh ROLLCALL
#        (RESIDENTS=25000000 RESULTS=25000000)
set -eu
cd "$(dirname "$0")/../.."
RC=$1
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
RESIDENTS=${RESIDENTS:-25000000}
RESULTS=${RESULTS:-25000000}
dir=$BUILD/bench/city-$RESIDENTS-$RESULTS
if [ ! -f "$dir/args" ]; then
    echo "bench-city: generating $RESIDENTS residents + $RESULTS results in $dir (once)" >&2
    rm -rf "$dir"
    "$PYTHON" scripts/bench/gen-plain-city.py --residents "$RESIDENTS" --results "$RESULTS" --seed 25 --out "$dir"
fi
out=$BUILD/bench/out
mkdir -p "$out"
# shellcheck disable=SC2046
RC_TIMING=1 /usr/bin/time -f "%e %M" -o "$out/city.time" "$RC" merge --quiet $(cat "$dir/args") \
    -o "$out/city.csv" --summary-json "$out/city.json" 2>"$out/city.stderr"
read -r wall kb <"$out/city.time"
printf '\nbench-city: %s residents + %s results to CSV + summary JSON (%s cores)\n' "$RESIDENTS" "$RESULTS" "$(nproc)"
printf 'wall %s s, peak RSS %d MB, %d bytes per resident\n' "$wall" $((kb / 1024)) $((kb * 1024 / RESIDENTS))
grep timing "$out/city.stderr" || true
