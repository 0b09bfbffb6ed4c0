#!/bin/sh
# make demo: generates a small synthetic area once (scripts/gen-city), shows
# how rollcall reads its files, merges it and says where the outputs are.
set -eu
cd "$(dirname "$0")/.."
RC=$1
PYTHON=${PYTHON:-/usr/bin/python3}
dir=build/demo
area=$dir/area
if [ ! -f "$area/args" ]; then
    rm -rf "$area"
    "$PYTHON" scripts/gen-city --names uniform --residents 300 --results 420 --seed 2022 --out "$area" >/dev/null
fi
echo "== rollcall check (how each file is read)"
"$RC" check "$area"/roster-*.csv "$area"/results-*.csv | grep -E '^[^ ]|encoding|delimiter|kind|header:|rows:'
echo
echo "== rollcall merge"
# shellcheck disable=SC2046
"$RC" merge $(cat "$area/args") -o "$dir/rollcall.xlsx" \
    --summary-json "$dir/summary.json" --problems "$dir/problems.csv" --unmatched "$dir/unmatched.csv"
# shellcheck disable=SC2046
"$RC" merge --quiet $(cat "$area/args") -o "$dir/residents.csv"
echo
echo "The workbook for officials: $(pwd)/$dir/rollcall.xlsx"
echo "Residents as CSV:           $(pwd)/$dir/residents.csv"
echo "Summary JSON:               $(pwd)/$dir/summary.json"
echo "Problem rows:               $(pwd)/$dir/problems.csv"
echo "Results not on the roster:  $(pwd)/$dir/unmatched.csv"
echo "Inputs (synthetic):         $(pwd)/$area/"
echo
echo "The program:                $(cd "$(dirname "$RC")" && pwd)/$(basename "$RC")"
echo "README calls it rollcall:   make install puts it on PATH, or: export PATH=\"$(cd "$(dirname "$RC")" && pwd):\$PATH\""
