#!/bin/sh
# bench-compare: rollcall beside what users would pick instead, on the same
# generated files in one run, at three sizes: wall time and peak RSS from
# /usr/bin/time, the ratio to rollcall, and what each output says (residents,
# tested, negative), so that a reader sees what the plain joins miss.
#
# Contenders, each given the same files and the same `args`:
#   rollcall                 build/rollcall merge --quiet ARGS -o out.csv
#   pandas (fair script)     scripts/bench/merge_pandas.py ARGS -o out.csv
#                            (Debian's python3-pandas)
#   DuckDB normalise+join    scripts/bench/duckdb/merge.mjs: the merge in SQL
#                            as far as SQL goes (no NFKC, no id-typo or
#                            masked-id rescue), 2 threads, @duckdb/node-api
#   DuckDB plain join        merge.mjs --plain: roster LEFT JOIN results on the
#                            raw id, latest sample by raw time text, sorted
#   Miller plain join        Debian's miller: header aliases renamed, latest
#                            sample per raw id (sort + head -g), join --ul,
#                            sorted by building, unit, room as text
# rollcall and both DuckDB runs: median of RUNS (3) by wall time; pandas and
# Miller: one run. A run over TIMEOUT seconds or MEM_CAP_MB of resident
# memory (never more than what the machine has free, less 2 GB) is stopped
# and reported as such.
#
# Cases (CASES, default "1m+1m 1m+2m 3m+3m 10m+10m"), inputs generated once
# and cached under $BUILD/bench/compare-SIZE/:
#   Rm+Sm R million residents + S million results (1m+1m, 1m+2m, 3m+3m,
#         10m+10m ...): scripts/bench/gen-plain-city.py --names real --seed 1,
#         names as frequent as in life (the commonest full names about 0.1%
#         each at 1M) and about 4% of result rows needing rescue (issue 16).
#         Every contender runs in the cases of ALL (default "1m+1m 1m+2m");
#         the others are the per-row series, rollcall only: its wall time
#         per input row (residents + results), and that against the
#         smallest case's, printed at the end.
# The older cases, still there:
#   100k  100,000 residents + 200,000 results      scripts/gen-city --plain --names uniform
#   1m    1,000,000 residents + 2,000,000 results  scripts/gen-city --plain --names uniform
#   10m   10,000,000 residents + 20,000,000 results scripts/bench/gen-plain-city.py
#         (gen-city keeps its whole area in memory: 1.35 GB at 1m, so about
#         14 GB at 10m; gen-plain-city streams clean data: one roster file,
#         one results file, no mess, so every contender should agree there)
# gen-city --plain files are UTF-8, commas, one header line, but keep every
# mess case of the data (ids with spaces, full-width digits, 15 digits, Excel
# notation, time formats, result words, rescues, other days).
#
# Usage: BUILD=build sh scripts/bench/bench-compare.sh [ROLLCALL]
#        (CASES="1m+1m 3m+3m" ALL="1m+1m" RUNS=3 TIMEOUT=600 MEM_CAP_MB=20480 QUIET_WAIT=300
#         SKIP="pd ml": pandas, Miller; rc dn dp for the others)
set -eu
cd "$(dirname "$0")/../.."
RC=${1:-build/rollcall}
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
CASES=${CASES:-1m+1m 1m+2m 3m+3m 10m+10m}
ALL=${ALL:-1m+1m 1m+2m}
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-600}
MEM_CAP_MB=${MEM_CAP_MB:-20480}
QUIET_WAIT=${QUIET_WAIT:-300}
SKIP=${SKIP:-}
DUCK=scripts/bench/duckdb
out=$BUILD/bench/compare-out
mkdir -p "$out"

say() { printf 'bench-compare: %s\n' "$*" >&2; }

# ---------------------------------------------------------------- Miller

# The plain join in Miller: the rosters with their header aliases renamed
# and only the role columns kept, to a temporary file (the left side of the
# join); then the results renamed, the latest sample per raw id (the
# largest raw time text), joined, unpaired roster rows kept, sorted as text.
ID_ALIASES='^(证件号码|身份证号|身份证号码|身份证|证件号|公民身份号码)$,身份证号'
mlr_join() {  # OUT ARGS...
    o=$1; shift
    rosters=""; results=""
    while [ $# -gt 0 ]; do
        case $1 in
            -r) rosters="$rosters $2"; shift 2 ;;
            --day|--since|--until) shift 2 ;;
            *) results="$results $1"; shift ;;
        esac
    done
    # shellcheck disable=SC2086,SC1010
    mlr --icsv --ocsv rename -r "$ID_ALIASES,^(楼号|楼栋|栋|幢|楼)\$,楼号,^(室号|房号|门牌号|户号)\$,室号,^(手机号|手机号码|联系电话|电话)\$,手机号" \
        then cut -o -f 楼号,单元,室号,姓名,身份证号,手机号 $rosters >"$o.roster.csv"
    # shellcheck disable=SC2086,SC1010
    mlr --icsv --ocsv rename -r "$ID_ALIASES,^(检测结果|结果|核酸结果)\$,检测结果" \
        then cut -o -f 身份证号,采样时间,检测结果 \
        then sort -r 采样时间 then head -n 1 -g 身份证号 \
        then join --ul -j 身份证号 -f "$o.roster.csv" \
        then unsparsify -f 检测结果,采样时间 \
        then reorder -f 楼号,单元,室号,姓名,身份证号,手机号,检测结果,采样时间 \
        then sort -f 楼号,单元,室号 $results >"$o"
    rm -f "$o.roster.csv"
}
if [ "${1:-}" = "--mlr-join" ]; then shift; mlr_join "$@"; exit 0; fi

# ---------------------------------------------------------------- tools

have_node=1
if ! command -v node >/dev/null 2>&1; then
    say "installing nodejs and npm (Debian)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null 2>&1 || have_node=0
fi
if [ "$have_node" = 1 ] && [ ! -d "$DUCK/node_modules/@duckdb/node-api" ]; then
    say "installing @duckdb/node-api into $DUCK/node_modules (npm ci, once)"
    (cd "$DUCK" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || have_node=0
fi
have_mlr=1
if ! command -v mlr >/dev/null 2>&1; then
    say "installing miller (Debian)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq miller >/dev/null 2>&1 || have_mlr=0
fi
have_pandas=1
"$PYTHON" -c 'import pandas' 2>/dev/null || have_pandas=0

# One binary for the whole run, though others may rebuild build/ meanwhile.
cp "$RC" "$out/rollcall-bin"
say "rollcall $("$RC" --version 2>/dev/null | head -1) from $(git describe --always --dirty 2>/dev/null || echo '?'), copied to $out/rollcall-bin"
RC=$out/rollcall-bin

# ---------------------------------------------------------------- inputs

case_dir() { echo "$BUILD/bench/compare-$1"; }
residents_of() { case $1 in *m+*m) r=${1%%m+*}; echo $((r * 1000000)) ;; 100k) echo 100000 ;; 1m) echo 1000000 ;; 10m) echo 10000000 ;; esac; }
results_of() { case $1 in *m+*m) r=${1#*+}; r=${r%m}; echo $((r * 1000000)) ;; *) echo $(($(residents_of "$1") * 2)) ;; esac; }

generate() {  # SIZE
    dir=$(case_dir "$1")
    [ -f "$dir/.done" ] && return 0
    rm -rf "$dir"
    case $1 in
        100k) say "generating 100,000 + 200,000 in $dir (gen-city --plain, once)"
              "$PYTHON" scripts/gen-city --names uniform --residents 100000 --results 200000 --seed 1 --plain --out "$dir" >/dev/null ;;
        1m)   say "generating 1,000,000 + 2,000,000 in $dir (gen-city --plain, once: about 30 s, 1.4 GB)"
              "$PYTHON" scripts/gen-city --names uniform --residents 1000000 --results 2000000 --seed 1 --plain --out "$dir" >/dev/null ;;
        10m)  say "generating 10,000,000 + 20,000,000 in $dir (gen-plain-city.py, once: about 6 min, 1.8 GB of CSV)"
              "$PYTHON" scripts/bench/gen-plain-city.py --residents 10000000 --results 20000000 --seed 1 --out "$dir" ;;
        *m+*m) say "generating $(residents_of "$1") + $(results_of "$1") in $dir (gen-plain-city.py --names real, once: about 40 s a million rows)"
              "$PYTHON" scripts/bench/gen-plain-city.py --residents "$(residents_of "$1")" --results "$(results_of "$1")" \
                  --names real --seed 1 --out "$dir" ;;
        *) say "unknown case $1 (Rm+Sm such as 1m+1m, or 100k, 1m, 10m)"; exit 1 ;;
    esac
    touch "$dir/.done"
}

# ---------------------------------------------------------------- measuring

# CPU share (percent) used on the whole machine over 2 s while we are idle.
busy_pct() {
    # shellcheck disable=SC2046
    set -- $(head -1 /proc/stat)
    t1=$(($2 + $3 + $4 + $5 + $6 + $7 + $8)); i1=$(($5 + $6))
    sleep 2
    # shellcheck disable=SC2046
    set -- $(head -1 /proc/stat)
    t2=$(($2 + $3 + $4 + $5 + $6 + $7 + $8)); i2=$(($5 + $6))
    dt=$((t2 - t1)); [ "$dt" -gt 0 ] || dt=1
    echo $(( (dt - (i2 - i1)) * 100 / dt ))
}

# Waits up to QUIET_WAIT seconds for the others on the machine to be idle
# (under 15% of the CPUs). Sets NOISY to the last busy figure if they never were.
NOISY=""
wait_quiet() {
    waited=0
    while :; do
        b=$(busy_pct)
        if [ "$b" -lt 15 ]; then NOISY=""; return 0; fi
        if [ "$waited" -ge "$QUIET_WAIT" ]; then NOISY=$b; return 0; fi
        sleep 8; waited=$((waited + 10))
    done
}

avail_mb() { awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo; }

# The memory cap of a run: MEM_CAP_MB, or what the machine has free less 3 GB.
cap_mb() {
    c=$(( $(avail_mb) - 3072 ))
    [ "$c" -lt "$MEM_CAP_MB" ] || c=$MEM_CAP_MB
    echo "$c"
}

# One run of CMD...: prints "WALL PEAK_KB" (from /usr/bin/time), or
# "killed WALL PEAK_KB why" when it went over TIMEOUT or the memory cap
# (the whole process session's resident memory, polled every second).
measure() {
    cap=$(cap_mb)
    rm -f "$out/time"
    setsid /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>"$out/stderr" &
    pid=$!
    start=$(date +%s)
    peak=0
    why=""
    while kill -0 "$pid" 2>/dev/null; do
        rss=$(ps -o rss= --sid "$pid" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
        [ "$rss" -gt "$peak" ] && peak=$rss
        now=$(date +%s)
        if [ $((rss / 1024)) -gt "$cap" ]; then why="over ${cap} MB"; fi
        if [ $((now - start)) -gt "$TIMEOUT" ]; then why="over ${TIMEOUT} s"; fi
        if [ -n "$why" ]; then
            kill -TERM "-$pid" 2>/dev/null || true  # dash: no "--"
            sleep 2
            kill -KILL "-$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            echo "killed $(( $(date +%s) - start )) $peak $why"
            return 0
        fi
        sleep 1
    done
    if ! wait "$pid"; then
        say "failed: $*"; tail -5 "$out/stderr" >&2
        echo "failed $(( $(date +%s) - start )) $peak exit status $(tail -1 "$out/stderr" | sed 's/.*exited with non-zero status //; s/Command terminated by //')"
        return 0
    fi
    cat "$out/time"
}

# RESULT (one line: "WALL KB" or "killed ...") of the run with the median wall time.
median_of() {  # N CMD...
    n=$1; shift
    : >"$out/runs"
    i=0
    while [ $i -lt "$n" ]; do
        r=$(measure "$@")
        echo "$r" >>"$out/runs"
        case $r in killed*|failed*) break ;; esac
        i=$((i + 1))
    done
    if grep -q '^killed\|^failed' "$out/runs"; then grep '^killed\|^failed' "$out/runs" | head -1; return 0; fi
    sort -n "$out/runs" | awk -v n="$(wc -l <"$out/runs")" 'NR == int((n + 1) / 2) { print }'
}

# Residents, tested and negative in an output: rows; for outputs with a
# state column, rows in a sample state and rows negative; for the plain
# joins, rows with a result and rows whose raw result is 阴性.
counts() {  # FILE
    "$PYTHON" - "$1" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    r = csv.reader(f)
    h = next(r)
    n = tested = neg = 0
    if "state" in h:
        s = h.index("state")
        for row in r:
            n += 1
            v = row[s]
            if v not in ("missing", "exempt"):
                tested += 1
                neg += v == "negative"
    else:
        k = h.index("result") if "result" in h else h.index("检测结果")
        for row in r:
            n += 1
            v = row[k] if k < len(row) else ""
            tested += v != ""
            neg += v == "阴性"
print(n, tested, neg)
EOF
}

# ---------------------------------------------------------------- contenders

scale() { echo $(( ($(residents_of "$1") + $(results_of "$1")) / 100000 )); }

# A skip note when KEY's figures at the last smaller size, grown in proportion
# to the size, would go over TIMEOUT or the memory cap (pandas and Miller at
# 10m: tens of GB); prints nothing and fails otherwise.
too_big() {  # KEY
    r=""; s=""
    eval "r=\${last_$1:-}; s=\${lastsize_$1:-}"
    [ -n "$r" ] || return 1
    case $r in
        killed*|failed*) echo "skip not run: it was stopped or failed at $s"; return 0 ;;
        skip*) echo "$r"; return 0 ;;
    esac
    f=$(( $(scale "$size") / $(scale "$s") ))
    awk -v w="${r% *}" -v k="${r#* }" -v f="$f" -v t="$TIMEOUT" -v c="$(cap_mb)" -v s="$s" 'BEGIN {
        pw = w * f; pm = k * f / 1024
        if (pw <= t && pm <= c) exit 1
        printf "skip not run: %s x%d would take about %d s and %.0f GB (limits %d s, %.0f GB)\n",
            s, f, pw, pm / 1024, t, c / 1024 }'
}

# Runs contender KEY (rc pd dn dp ml) RUNS times unless SKIP names it or it
# would be too big; sets res_KEY and noisy_KEY.
contender() {  # KEY RUNS CMD...
    k=$1; n=$2; shift 2
    eval "noisy_$k="
    if echo " $SKIP " | grep -q " $k "; then eval "res_$k='skip SKIP=$k'"; return 0; fi
    if [ "$k" != rc ] && ! echo " $ALL " | grep -q " $size "; then
        eval "res_$k='skip per-row series: rollcall only (ALL)'"; return 0; fi
    if note=$(too_big "$k"); then eval "res_$k=\$note"; return 0; fi
    wait_quiet
    r=$(median_of "$n" "$@")
    eval "res_$k=\$r; noisy_$k=\$NOISY; last_$k=\$r; lastsize_$k=\$size"
}

# ---------------------------------------------------------------- the table

row() {  # NAME RESULT RUNS_NOTE FILE
    name=$1; res=$2; note=$3; file=$4
    case $res in
        skip*) printf '%-30s %9s %12s %10s %6s  %s\n' "$name" - - - - "${res#skip }"; return ;;
        killed*)
            # shellcheck disable=SC2086
            set -- $res
            printf '%-30s %9s %12s %10s %6s  stopped after %s s: %s (%d MB resident then)\n' \
                "$name" ">$2" - - "$note" "$2" "${res#killed * * }" $(($3 / 1024))
            return ;;
        failed*)
            # shellcheck disable=SC2086
            set -- $res
            printf '%-30s %9s %12s %10s %6s  failed after %s s: %s\n' "$name" - - - "$note" "$2" "${res#failed * * }"
            return ;;
    esac
    wall=${res% *}; kb=${res#* }
    c=$(counts "$file")
    # shellcheck disable=SC2086
    set -- $c
    printf '%-30s %9s %12d %10s %6s %10s %9s %9s%s\n' "$name" "$wall" $((kb / 1024)) \
        "$(awk -v a="$wall" -v b="$RC_WALL" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')" \
        "$note" "$1" "$2" "$3" "${NOISY:+  (others used ${NOISY}% CPU at start)}"
}

truth_row() {  # DIR
    [ -f "$1/truth.json" ] || return 0
    "$PYTHON" - "$1/truth.json" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
s = t["states"]
tested = sum(s[k] for k in ("negative", "positive", "review", "invalid", "pending"))
print("%-30s %9s %12s %10s %6s %10d %9d %9d" % ("(truth, from the generator)", "", "", "", "", t["roster"]["residents"], tested, s["negative"]))
EOF
}

perrow=""
for size in $CASES; do
    generate "$size"
    dir=$(case_dir "$size")
    args=$(tr '\n' ' ' <"$dir/args")
    case $size in
        100k) what="100,000 residents + 200,000 results (gen-city --plain)" ;;
        1m)   what="1,000,000 residents + 2,000,000 results (gen-city --plain)" ;;
        10m)  what="10,000,000 residents + 20,000,000 results (gen-plain-city.py, clean)" ;;
        *)    what="$(residents_of "$size") residents + $(results_of "$size") results (gen-plain-city.py, real names)" ;;
    esac
    bytes=0
    for f in $args; do [ -f "$f" ] && bytes=$((bytes + $(stat -c %s "$f"))); done
    say "case $size: $what"
    res_rc=""; res_pd=""; res_dn=""; res_dp=""; res_ml=""
    noisy_rc=""; noisy_pd=""; noisy_dn=""; noisy_dp=""; noisy_ml=""

    # shellcheck disable=SC2086
    contender rc "$RUNS" "$RC" merge --quiet $args -o "$out/rollcall.csv"
    RC_WALL=${res_rc% *}
    if [ "$have_pandas" = 0 ]; then res_pd="skip pandas not installed (python3-pandas)"; else
        # shellcheck disable=SC2086
        contender pd 1 "$PYTHON" scripts/bench/merge_pandas.py $args -o "$out/pandas.csv"
    fi
    if [ "$have_node" = 0 ]; then res_dn="skip node or @duckdb/node-api unavailable"; res_dp=$res_dn; else
        # shellcheck disable=SC2086
        contender dn "$RUNS" node "$DUCK/merge.mjs" $args -o "$out/duckdb.csv"
        # shellcheck disable=SC2086
        contender dp "$RUNS" node "$DUCK/merge.mjs" --plain $args -o "$out/duckdb-plain.csv"
    fi
    if [ "$have_mlr" = 0 ]; then res_ml="skip miller not installed"; else
        # shellcheck disable=SC2086
        contender ml 1 sh "$0" --mlr-join "$out/miller.csv" $args
    fi

    printf '\nbench-compare: %s to CSV, %d MB of input, %s cores, %s\n' "$what" $((bytes / 1048576)) \
        "$(nproc)" "$(uptime | sed 's/.*load/load/')"
    printf '%-30s %9s %12s %10s %6s %10s %9s %9s\n' contender "wall (s)" "peak RSS MB" "x rollcall" runs \
        residents tested negative
    NOISY=$noisy_rc; row rollcall "$res_rc" "med$RUNS" "$out/rollcall.csv"
    NOISY=$noisy_pd; row "pandas (fair script)" "$res_pd" 1 "$out/pandas.csv"
    NOISY=$noisy_dn; row "DuckDB normalise+join (SQL)" "$res_dn" "med$RUNS" "$out/duckdb.csv"
    NOISY=$noisy_dp; row "DuckDB plain join (raw ids)" "$res_dp" "med$RUNS" "$out/duckdb-plain.csv"
    NOISY=$noisy_ml; row "Miller plain join (raw ids)" "$res_ml" 1 "$out/miller.csv"
    truth_row "$dir"
    case $res_rc in
        skip*|killed*|failed*) ;;
        *) perrow="$perrow$size ${res_rc% *} $(( $(residents_of "$size") + $(results_of "$size") ))
" ;;
    esac
done
if [ -n "$perrow" ]; then
    printf '\nbench-compare: rollcall per input row (residents + results), %s\n' "$(uptime | sed 's/.*load/load/')"
    printf '%-10s %9s %12s %14s %10s\n' case "wall (s)" "input rows" "us per row" "x first"
    printf '%s' "$perrow" | awk '{ us = $2 * 1e6 / $3; if (NR == 1) first = us
        printf "%-10s %9s %12d %14.3f %10.2f\n", $1, $2, $3, us, us / first }'
fi
cat <<'EOF'

residents: rows written; tested: residents with a sample applied (state not
missing/exempt), for the plain joins rows with any result; negative: state
negative, for the plain joins the raw word 阴性. The plain joins have no
window (other days count), no id clean-up, no rescue, no duplicate check and
no vocabulary: they are the floor of speed, not an answer.
EOF
