#!/bin/sh
# Installs the Debian packages rollcall needs to build and test, only those
# missing; quick when everything is present. Idempotent.
set -eu

PKGS="gcc make pkg-config libglib2.0-dev libpcre2-dev libxlsxwriter-dev
libcsv-dev libcmocka-dev libminizip-dev libexpat1-dev libfreexl-dev python3 python3-openpyxl
python3-pandas zip unzip time cppcheck clang-tidy clang help2man groff-base man-db
bash-completion build-essential dpkg-dev debhelper lintian"

missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    case "$st" in
        ii*) ;;
        *) missing="$missing $p" ;;
    esac
done

[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
