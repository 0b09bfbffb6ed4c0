#!/bin/sh
# bench-rescue: the per-row cost of rescue against the number of residents
# sharing the result's name, 1 to 10,000 (DESIGN.md section 5; issue 16
# item 2): RESULTS rows each needing a rescue of one of six kinds, beside as
# many rows matched by id, best of RUNS. Target: flat in the name's count.
# Each file is read twice in one run: the figures are the second pass, once
# the rescue indexes are built; "first ns/row" is the first pass, which
# builds them (once a run, in time linear in the roster: FILLER + 1.5 N
# residents here, so it grows with N through the roster, not the name).
# Usage: BUILD=build sh scripts/bench/bench-rescue.sh   (RESULTS=60000 RUNS=3)
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
RESULTS=${RESULTS:-60000}
FILLER=${FILLER:-20000}
RUNS=${RUNS:-3}
CC=${CC:-cc}
dir=$BUILD/bench
mkdir -p "$dir"
# shellcheck disable=SC2046
$CC -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 -O2 -g -Ilib \
    $(pkg-config --cflags glib-2.0 libpcre2-8) scripts/bench/rescue_bench.c "$BUILD/librollcall.a" \
    $(pkg-config --libs glib-2.0 libpcre2-8 xlsxwriter minizip expat freexl) -lcsv -lpthread -lm -o "$dir/rescue_bench"
echo "bench-rescue: $RESULTS result rows of one name, per-row cost by how many residents share it, best of $RUNS ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
"$dir/rescue_bench" "$RESULTS" "$FILLER" "$RUNS" 1 10 100 1000 10000
