#!/bin/sh
# make deb-check (issue 19 item 4): the .deb installed on this machine as a
# user would install it (dpkg -i), used (rollcall --version, man -w rollcall,
# the man page rendered, the bash completion loaded by bash-completion, the
# README's worked example merged, rollcall-hourly --help) and removed
# (dpkg -r), with nothing of it left behind. Needs root; refuses to touch a
# rollcall already installed. $1 is the .deb.
set -u
cd "$(dirname "$0")/.."
deb=$1
fail=0
err() { echo "deb-check: $*" >&2; fail=1; }
[ -f "$deb" ] || { echo "deb-check: no $deb (make deb)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "deb-check: dpkg -i needs root" >&2; exit 1; }
if dpkg-query -W -f='${db:Status-Abbrev}' rollcall 2>/dev/null | grep -q '^i'; then
    echo "deb-check: rollcall is installed already ($(dpkg-query -W -f='${Version}' rollcall)): not touching it" >&2
    exit 1
fi
version=$(dpkg-deb -f "$deb" Version)
tmp=$(mktemp -d)
removed=0
cleanup() {
    [ $removed = 1 ] || dpkg -r rollcall >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

echo "deb-check: dpkg -i $deb"
dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; exit 1; }
dpkg -L rollcall >"$tmp/files"

# the program, by its name on PATH
[ "$(command -v rollcall)" = /usr/bin/rollcall ] || err "rollcall on PATH is '$(command -v rollcall)'"
got=$(rollcall --version)
[ "$got" = "rollcall $version" ] || err "rollcall --version says '$got', the package $version"

# the manual pages, where man finds them, rendering cleanly
for page in rollcall rollcall-hourly; do
    where=$(man -w "$page" 2>&1)
    case $where in
        /usr/share/man/man1/$page.1.gz) ;;
        *) err "man -w $page: '$where'" ;;
    esac
    warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w "$page" 2>&1 >/dev/null)
    [ -z "$warn" ] || err "man $page: $warn"
done
LC_ALL=C.UTF-8 MANWIDTH=80 man rollcall 2>/dev/null | grep -q -- '--fail-on' || err "man rollcall has no --fail-on"

# the completion, as bash-completion loads it on first use
comp=$(bash -c '. /usr/share/bash-completion/bash_completion; _completion_loader rollcall; complete -p rollcall' 2>&1)
case $comp in
    *"-F _rollcall rollcall") ;;
    *) err "bash-completion does not load the completion: '$comp'" ;;
esac

# one merge: the README's worked example, as the e2e test has it
rollcall merge -r fixtures/example/roster.csv --day 2022-04-10 fixtures/example/results.csv \
    >"$tmp/out" 2>"$tmp/err"
echo "exit $?" >>"$tmp/out"
cmp -s "$tmp/out" tests/e2e/expected/example-csv.out || {
    err "the installed rollcall's merge differs from tests/e2e/expected/example-csv.out"
    diff -u tests/e2e/expected/example-csv.out "$tmp/out" | head -20 >&2
}
rollcall-hourly --help | grep -q '^Usage: rollcall-hourly' || err "rollcall-hourly --help"
[ -f /usr/share/doc/rollcall/cron.md ] && [ -f /usr/share/doc/rollcall/examples/systemd/rollcall-hourly.timer ] ||
    err "cron.md or the examples are not in /usr/share/doc/rollcall"

echo "deb-check: dpkg -r rollcall"
dpkg -r rollcall >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; err "dpkg -r failed"; }
removed=1
dpkg-query -W -f='${db:Status-Abbrev}' rollcall 2>/dev/null | grep -q '^i' && err "still installed after dpkg -r"
left=0
while read -r f; do
    [ -d "$f" ] && continue
    [ -e "$f" ] && { err "left behind: $f"; left=$((left + 1)); }
done <"$tmp/files"
[ -e /usr/bin/rollcall ] && err "/usr/bin/rollcall left behind"
if [ $fail = 0 ]; then
    echo "deb-check: rollcall $version installed, used and removed cleanly ($(grep -vc '/$' "$tmp/files") paths)"
fi
exit $fail
