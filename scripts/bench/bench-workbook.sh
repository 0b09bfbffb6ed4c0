#!/bin/sh
# bench-workbook: rollcall merge to a workbook beside (a) the floor, a
# minimal C program writing the same resident cells with libxlsxwriter in
# constant-memory mode and nothing else (scripts/bench/xlsx_floor.c, fed the
# residents TSV rollcall wrote beforehand, untimed), and (b) pandas +
# openpyxl in write-only mode (scripts/bench/merge_pandas_xlsx.py, the
# merge included, RUNS=1: it is slow). Wall time (median of RUNS) and peak
# RSS from /usr/bin/time, the ratio to rollcall; rollcall in one thread too
# (--threads 1). Then where the time goes: RC_TIMING=1
# stages, the floor's own split (reading, cells, workbook_close), and the
# share of CPU samples in zlib (perf record on one run; PERF=0 skips it).
# Inputs are those of bench-merge.sh (scripts/gen-city --plain, cached
# under $BUILD/bench/). Target (issue "Speed and memory"): within 1.3x of
# the floor, at least 8x faster than pandas + openpyxl, under 200 MB RSS.
# Usage: BUILD=build sh scripts/bench/bench-workbook.sh ROLLCALL
#        (RESIDENTS=1000000 RESULTS=2000000 RUNS=3 PANDAS=1 PERF=1)
set -eu
cd "$(dirname "$0")/../.."
RC=$1
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
RESIDENTS=${RESIDENTS:-1000000}
RESULTS=${RESULTS:-2000000}
RUNS=${RUNS:-3}
PANDAS=${PANDAS:-1}
PERF=${PERF:-1}
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2 -g}
out=$BUILD/bench/workbook
mkdir -p "$out"
BENCH=bench-workbook
# shellcheck source=scripts/bench/common.sh
. scripts/bench/common.sh
city_inputs

floor=$BUILD/bench/xlsx_floor
# shellcheck disable=SC2046,SC2086
$CC -std=c11 -Wall -Wextra -Werror $CFLAGS $(pkg-config --cflags xlsxwriter) \
    scripts/bench/xlsx_floor.c -o "$floor" $(pkg-config --libs xlsxwriter)
# The floor's input, not timed.
# shellcheck disable=SC2086
"$RC" merge --quiet $args -o "$out/residents.tsv"


ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { # NAME "WALL KB"
    printf '%-26s %10s %12d %10s\n' "$1" "${2% *}" $((${2#* } / 1024)) "$(ratio "${2% *}" "$rc_wall")"
}

# shellcheck disable=SC2086
rc=$(median_of_runs "$RC" merge --quiet $args -o "$out/rollcall.xlsx")
rc_wall=${rc% *}
# shellcheck disable=SC2086
rc1=$(median_of_runs "$RC" merge --quiet --threads 1 $args -o "$out/rollcall-1.xlsx")
fl=$(median_of_runs "$floor" "$out/residents.tsv" "$out/floor.xlsx")
floor_split=$(cat "$out/stderr")
load=$(uptime | sed 's/.*load average: //')

printf '\nbench-workbook: %s residents + %s results to a workbook (%s cores, load %s)\n' \
    "$RESIDENTS" "$RESULTS" "$(nproc)" "$load"
printf '%-26s %10s %12s %10s\n' contender "wall (s)" "peak RSS MB" "x rollcall"
row rollcall "$rc"
row "rollcall, one thread" "$rc1"
row "floor (libxlsxwriter)" "$fl"
if [ "$PANDAS" = 1 ]; then
    # shellcheck disable=SC2086
    pd=$(RUNS=1 median_of_runs "$PYTHON" scripts/bench/merge_pandas_xlsx.py $args -o "$out/pandas.xlsx")
    row "pandas + openpyxl" "$pd"
fi
echo "$floor_split" | sed 's/^xlsx_floor: /  floor, last run: /'
printf '  rollcall / floor: %s (target <= 1.3)' "$(ratio "$rc_wall" "${fl% *}")"
[ "$PANDAS" = 1 ] && printf ';  pandas + openpyxl / rollcall: %s (target >= 8)' "$(ratio "${pd% *}" "$rc_wall")"
printf ';  rollcall peak RSS %d MB (target < 200)\n' $((${rc#* } / 1024))

# Where rollcall's time goes: stages, then zlib's share of the CPU samples.
# shellcheck disable=SC2086
RC_TIMING=1 /usr/bin/time -f "%e %U %S" -o "$out/time" "$RC" merge --quiet $args -o "$out/rollcall.xlsx" \
    2>"$out/stderr"
printf '\nbench-workbook: rollcall stages (RC_TIMING=1; outputs = the workbook)\n'
sed -n 's/^rollcall: timing: /  /p' "$out/stderr"
read -r t_wall t_user t_sys <"$out/time"
cpu=$(awk -v u="$t_user" -v s="$t_sys" 'BEGIN { printf "%.1f", u + s }')
printf '  whole run: %s s wall, %s s CPU (user + sys, both threads)\n' "$t_wall" "$cpu"
if [ "$PERF" = 1 ] && command -v perf >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    if perf record -q -F 999 -o "$out/perf.data" -- "$RC" merge --quiet $args -o "$out/rollcall.xlsx" \
        >/dev/null 2>"$out/perf.err"; then
        perf report -i "$out/perf.data" --stdio -q --sort dso 2>/dev/null |
            awk 'NF >= 2 && $1 ~ /%$/ { sub(/%/, "", $1); print $1, $2 }' >"$out/dso"
        # libz is stripped: deflate's internals show as addresses, crc32 by name.
        perf report -i "$out/perf.data" --stdio -q --sort dso,sym 2>/dev/null |
            awk '$2 ~ /^libz/ && $0 ~ /crc32/ { sub(/%/, "", $1); c += $1 } END { printf "%.2f\n", c }' \
                >"$out/crc"
        printf '\nbench-workbook: CPU samples by library (perf record, one run)\n'
        head -6 "$out/dso" | awk '{ printf "  %6.2f%%  %s\n", $1, $2 }'
        awk -v crc="$(cat "$out/crc")" -v cpu="$cpu" '
            $2 ~ /^libz/ { z += $1 }
            END { d = z - crc
                  printf "  deflate (zlib without crc32): %.1f%% of CPU samples, about %.1f s of %s s CPU\n",
                         d, d * cpu / 100, cpu
                  printf "  zlib in all (deflate + crc32): %.1f%%\n", z }' "$out/dso"
    else
        echo "bench-workbook: perf record failed, no deflate share:" >&2
        cat "$out/perf.err" >&2
    fi
fi
