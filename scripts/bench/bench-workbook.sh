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
# under $BUILD/bench/): they have rooms and tube codes, so rollcall's
# workbook holds the door-knocking list, the floor plan and the pooled
# tubes too (DESIGN.md section 7); the floor writes the door list and the
# tubes (rollcall's --door-list and --tubes, as TSV) as sheets of strings,
# not the floor plan (a few cells per household: rollcall's to pay).
# Then (HISTORY=1) the same with --days over the 7 days ending on the day
# (DESIGN.md section 6): rollcall's workbook gains the History sheet (one
# row per resident, a cell per day), the floor a History sheet of the same
# cells, from the residents TSV of the same history run.
# Target (issue "Speed and memory", issues 17 item 5 and 18): within 1.3x
# of the floor, at least 8x faster than pandas + openpyxl, under 200 MB RSS.
# Usage: BUILD=build sh scripts/bench/bench-workbook.sh ROLLCALL
#        (RESIDENTS=1000000 RESULTS=2000000 RUNS=3 PANDAS=1 PERF=1 HISTORY=1)
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
HISTORY=${HISTORY:-1}
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
# The floor's inputs, not timed: the residents, the door list and the tubes.
csv2tsv() {
    "$PYTHON" -c 'import csv, sys
w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
for r in csv.reader(open(sys.argv[1], encoding="utf-8", newline="")):
    w.writerow(r)' "$1"
}
# Writes $2.tsv (residents), $2-door.tsv and $2-tubes.tsv of a run with args $1.
floor_inputs() {
    # shellcheck disable=SC2086
    "$RC" merge --quiet $1 -o "$2.tsv" --door-list "$2-door.csv" --tubes "$2-tubes.csv"
    csv2tsv "$2-door.csv" >"$2-door.tsv"
    csv2tsv "$2-tubes.csv" >"$2-tubes.tsv"
}
floor_inputs "$args" "$out/residents"


ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { # NAME "WALL KB"
    printf '%-26s %10s %12d %10s\n' "$1" "${2% *}" $((${2#* } / 1024)) "$(ratio "${2% *}" "$rc_wall")"
}

# shellcheck disable=SC2086
rc=$(median_of_runs "$RC" merge --quiet $args -o "$out/rollcall.xlsx")
rc_wall=${rc% *}
# shellcheck disable=SC2086
rc1=$(median_of_runs "$RC" merge --quiet --threads 1 $args -o "$out/rollcall-1.xlsx")
fl=$(median_of_runs "$floor" "$out/residents.tsv" "$out/floor.xlsx" 入户="$out/residents-door.tsv" \
    异常管="$out/residents-tubes.tsv")
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

if [ "$HISTORY" = 1 ]; then
    last=$(echo "$args" | sed -n 's/.*--day \([0-9-]*\).*/\1/p')
    hargs="--days $(date -u -d "$last - 6 days" +%F)..$last $(echo "$args" | sed 's/--day [0-9-]* //')"
    floor_inputs "$hargs" "$out/history"
    # shellcheck disable=SC2086
    hrc=$(median_of_runs "$RC" merge --quiet $hargs -o "$out/history.xlsx")
    rc_wall=${hrc% *}
    hfl=$(median_of_runs "$floor" "$out/history.tsv" "$out/history-floor.xlsx" 入户="$out/history-door.tsv" \
        异常管="$out/history-tubes.tsv")
    hfloor_split=$(cat "$out/stderr")
    printf '\nbench-workbook: the same as a history, %s (load %s)\n' "${hargs%% -r*}" \
        "$(uptime | sed 's/.*load average: //')"
    printf '%-26s %10s %12s %10s\n' contender "wall (s)" "peak RSS MB" "x rollcall"
    row "rollcall --days" "$hrc"
    row "floor (libxlsxwriter)" "$hfl"
    echo "$hfloor_split" | sed 's/^xlsx_floor: /  floor, last run: /'
    printf '  rollcall / floor with History: %s (target <= 1.3); rollcall peak RSS %d MB\n' \
        "$(ratio "$rc_wall" "${hfl% *}")" $((${hrc#* } / 1024))
    rc_wall=${rc% *}
fi

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
