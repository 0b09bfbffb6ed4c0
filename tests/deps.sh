#!/bin/sh
# make deb, make deb-check and make check on a fresh Debian 12 have only what
# scripts/install-deps.sh installs (issue 19 item 4): every package of
# debian/control's Build-Depends (the first of alternatives; debhelper for
# debhelper-compat), build-essential (dpkg-checkbuilddeps requires it
# without its being named), and what make deb and deb-check run (dpkg-dev,
# lintian, man-db) must be in its list. Run by make check.
set -u
cd "$(dirname "$0")/.." || exit 1
have=$(sed -n '/^PKGS="/,/"$/p' scripts/install-deps.sh | sed 's/^PKGS=//; s/"//g' | tr ' ' '\n' | grep .)
[ -n "$have" ] || { echo "deps-check: no PKGS=\"...\" in scripts/install-deps.sh" >&2; exit 1; }
build_deps=$(awk '
    /^Build-Depends:/ { on = 1; sub(/^Build-Depends:/, ""); print; next }
    on && /^[ \t]/ { print; next }
    { on = 0 }' debian/control |
    tr ',' '\n' | sed 's/|.*//; s/([^)]*)//g; s/<[^>]*>//g; s/\[[^]]*\]//g; s/[ \t]//g' | grep . |
    sed 's/^debhelper-compat$/debhelper/')
[ -n "$build_deps" ] || { echo "deps-check: no Build-Depends in debian/control" >&2; exit 1; }
fail=0
n=0
for p in $build_deps build-essential dpkg-dev lintian man-db; do
    n=$((n + 1))
    printf '%s\n' "$have" | grep -qx -- "$p" ||
        { echo "deps-check: $p is needed (debian/control, make deb) but scripts/install-deps.sh does not install it" >&2; fail=1; }
done
[ $fail = 0 ] && echo "deps-check: the $n packages make deb needs are all in scripts/install-deps.sh"
exit $fail
