# Sourced by bench-merge.sh and bench-workbook.sh: timing with
# /usr/bin/time. Uses $out (a directory for scratch files), $RUNS and
# $BENCH (the script's name, for messages).

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
