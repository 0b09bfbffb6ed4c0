#!/bin/sh
# make bench: every benchmark, figures printed. Not run by CI.
set -eu
cd "$(dirname "$0")/../.."
RC=$1
export BUILD="${BUILD:-build}"
sh scripts/bench/bench-source.sh
echo
sh scripts/bench/bench-table.sh "$RC"
echo
sh scripts/bench/bench-norm.sh
echo
sh scripts/bench/bench-merge.sh "$RC"
echo
sh scripts/bench/bench-rescue.sh
echo
sh scripts/bench/bench-workbook.sh "$RC"
echo
sh scripts/bench/bench-xlsx.sh "$RC"
echo
sh scripts/bench/bench-days.sh "$RC"
echo
# issue 16: rollcall beside DuckDB, pandas and Miller, names as frequent as in life
sh scripts/bench/bench-compare.sh "$RC"
