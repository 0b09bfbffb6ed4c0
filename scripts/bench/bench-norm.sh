#!/bin/sh
# bench-norm: rows per second through lib/norm (id, name, phone, result and
# time of each row) on ROWS rows generated in memory by the driver, for
# mostly-ASCII rows and for CJK-heavy rows, beside a plain memcpy of the same
# bytes. The driver is built straight from lib/rc.c, lib/config.c and
# lib/norm*.c, so it needs nothing else in lib/ to compile.
# Target: >= 2,000,000 mostly-ASCII rows/s on a 2-core machine.
# Usage: BUILD=build sh scripts/bench/bench-norm.sh   (ROWS=1000000, RUNS=3)
set -eu

cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2 -g}
dir=$BUILD/bench
mkdir -p "$dir"

bin=$dir/norm_bench
# shellcheck disable=SC2046,SC2086
$CC -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
    -D_GNU_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 $CFLAGS \
    $(pkg-config --cflags glib-2.0 libpcre2-8) -Ilib \
    lib/rc.c lib/config.c lib/norm*.c scripts/bench/norm_bench.c \
    -o "$bin" $(pkg-config --libs glib-2.0 libpcre2-8)

echo "bench-norm: $ROWS rows, best of $RUNS runs ($(nproc) cores, $CC $CFLAGS)"
"$bin" "$ROWS" "$RUNS"
