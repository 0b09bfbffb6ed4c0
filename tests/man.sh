#!/bin/sh
# rollcall(1) (issue 19 item 2), run by make check: the page renders with
# groff -ww and with man(1) without a single warning, has the sections the
# hand-kept include gives it, and holds every option of every subcommand's
# --help (help2man took the help texts in whole). $1 is rollcall(1),
# ROLLCALL the binary it was made from; further pages (rollcall-hourly(1))
# are checked for warnings only.
set -u
page=$1
fail=0
err() { echo "man-check: $*" >&2; fail=1; }
for p in "$@"; do
    warn=$(groff -ww -z -man -Tutf8 "$p" 2>&1) || err "$p: groff failed"
    [ -z "$warn" ] || err "$p: groff -ww: $warn"
    if command -v man >/dev/null; then
        warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$p" 2>&1 >/dev/null)
        [ -z "$warn" ] || err "$p: man --warnings: $warn"
    fi
    LC_ALL=C.UTF-8 grep -q '[^ -~]' "$p" && err "$p holds characters beyond ASCII"
done
text=$(groff -man -Tutf8 -P-cbou "$page" 2>/dev/null)
for s in NAME SYNOPSIS DESCRIPTION 'ROLLCALL MERGE' 'ROLLCALL CHECK' STATES MATCHING 'EXIT STATUS' \
    CRON ENVIRONMENT FILES EXAMPLES 'SEE ALSO'; do
    printf '%s\n' "$text" | grep -qx "$s" || err "no section $s"
done
for cmd in merge check; do
    for o in $("$ROLLCALL" "$cmd" --help | sed -n 's/^  \(-., \)\{0,1\}\(--[a-z-]*\).*/\2/p' | grep -vx -- --help); do
        printf '%s\n' "$text" | grep -q -- "^ *\(-., \)\{0,1\}$o\b" || err "$cmd's $o is not in the page"
    done
done
# a character beyond ASCII came through the \[uXXXX] spelling
printf '%s\n' "$text" | grep -q '阴性 is negative' || err "the Chinese result words did not render"
[ $fail = 0 ] && echo "man-check: $* render cleanly ($page: $(printf '%s\n' "$text" | wc -l) lines)"
exit $fail
