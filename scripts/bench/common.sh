# shellcheck shell=sh disable=SC2034,SC2154 # dir, args and out are shared with the sourcing script
# Sourced by bench-merge.sh and bench-workbook.sh: their inputs, and timing
# with /usr/bin/time. Uses $BUILD, $PYTHON, $RESIDENTS, $RESULTS, $RUNS,
# $out (a directory for scratch files) and $BENCH (the script's name, for
# messages).

# Sets $dir and $args: the generated area of $RESIDENTS + $RESULTS
# (scripts/gen-city --plain, made once under $BUILD/bench/), with the old
# almost-unique names (--names uniform): README's figures of bench-merge and
# bench-workbook were measured on them.
city_inputs() {
    dir=$BUILD/bench/city-$RESIDENTS-$RESULTS
    if [ ! -f "$dir/args" ]; then
        echo "$BENCH: generating $RESIDENTS residents + $RESULTS results in $dir (once)"
        rm -rf "$dir"
        "$PYTHON" scripts/gen-city --names uniform --residents "$RESIDENTS" --results "$RESULTS" --seed 1 --plain --out "$dir" >/dev/null
    fi
    args=$(tr '\n' ' ' <"$dir/args")
}

# Prints "WALL_SECONDS PEAK_KB" of one run of the command.
measure() {
    /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>"$out/stderr" || {
        echo "$BENCH: failed: $*" >&2; cat "$out/stderr" >&2; exit 1; }
    cat "$out/time"
}

# Prints the "WALL_SECONDS PEAK_KB" of the run with the median wall time
# of $RUNS runs.
median_of_runs() {
    i=0
    : >"$out/runs"
    while [ $i -lt "$RUNS" ]; do
        measure "$@" >>"$out/runs"
        i=$((i + 1))
    done
    sort -n "$out/runs" | awk -v n="$RUNS" 'NR == int((n + 1) / 2) { print }'
}
