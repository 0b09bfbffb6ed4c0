#!/bin/sh
# End-to-end tests of the built binary. Each tests/e2e/cases/NAME.sh is run
# with sh from the repository root, $RC naming the binary and $T a fresh
# temporary directory; its stdout, stderr and exit code are compared with
# tests/e2e/expected/NAME.{out,err,code}, checked in and verified by hand.
# GOLDEN_UPDATE=1 rewrites the expected files instead (make golden-update).
set -u
cd "$(dirname "$0")/../.."
RC=$(cd "$(dirname "$ROLLCALL")" && pwd)/$(basename "$ROLLCALL")
# VALGRIND=1 (make valgrind): every run of the binary under memcheck; an
# error or a definite leak changes the exit code, so the case fails.
if [ "${VALGRIND:-}" = 1 ]; then
    RC="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --log-file=$(pwd)/${BUILD:-build}/valgrind.%p.log $RC"
    rm -f "${BUILD:-build}"/valgrind.*.log
fi
export RC
export PYTHON="${PYTHON:-/usr/bin/python3}"
export SOURCE_DATE_EPOCH=1649577600   # 2022-04-10 08:00:00 UTC: outputs reproducible
export LC_ALL=C.UTF-8
exp=tests/e2e/expected
mkdir -p "$exp"
pass=0
fail=0
failed=""
# CASES="NAME..." runs only those cases.
all=""
for n in ${CASES:-}; do all="$all tests/e2e/cases/$n.sh"; done
for c in ${all:-tests/e2e/cases/*.sh}; do
    name=$(basename "$c" .sh)
    T=$(mktemp -d)
    export T
    sh "$c" >"$T/.out.raw" 2>"$T/.err.raw"
    echo $? >"$T/.code"
    # The temporary directory's name varies: expected files say $T.
    sed "s|$T|\$T|g" "$T/.out.raw" >"$T/.out"
    sed "s|$T|\$T|g" "$T/.err.raw" >"$T/.err"
    if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
        cp "$T/.out" "$exp/$name.out"
        cp "$T/.err" "$exp/$name.err"
        cp "$T/.code" "$exp/$name.code"
    fi
    ok=1
    for k in out err code; do
        if ! cmp -s "$T/.$k" "$exp/$name.$k"; then
            ok=0
            echo "--- $name: $k differs"
            diff -u "$exp/$name.$k" "$T/.$k" 2>&1 | head -40
        fi
    done
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        failed="$failed $name"
    fi
    rm -rf "$T"
done
[ -n "$failed" ] && echo "e2e failed:$failed"
echo "e2e: $pass passed, $fail failed"
if [ "${VALGRIND:-}" = 1 ]; then
    # The exit code misses what memcheck found in a process that died of a
    # signal (the fault cases) or in the .xls child: read every log too.
    bad=$(grep -lE "definitely lost|Invalid (read|write|free)|uninitialised|Mismatched free|overlap" \
        "${BUILD:-build}"/valgrind.*.log 2>/dev/null)
    logs=$(ls "${BUILD:-build}"/valgrind.*.log 2>/dev/null | wc -l)
    echo "valgrind: $logs processes, $(echo "$bad" | grep -c .) with errors or definite leaks $bad"
    [ -z "$bad" ] || fail=$((fail + 1))
fi
[ $fail = 0 ]
