#!/bin/sh
# make render: the demo workbook as an official would print it — converted
# to PDF by LibreOffice (headless) and to PNG pages by pdftoppm — so that a
# person can look at widths, colours and page breaks. Installs
# libreoffice-calc-nogui and poppler-utils when missing (not needed by CI).
set -eu
cd "$(dirname "$0")/.."
dir=build/render
for p in libreoffice-calc-nogui poppler-utils; do
    dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing="${missing:-} $p"
done
if [ -n "${missing:-}" ]; then
    echo "render: installing$missing" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
rm -rf "$dir"
mkdir -p "$dir"
cp build/demo/rollcall.xlsx "$dir/rollcall.xlsx"
HOME=$(pwd)/$dir soffice --headless --convert-to pdf --outdir "$dir" "$dir/rollcall.xlsx" >/dev/null 2>&1
pdftoppm -png -r 60 "$dir/rollcall.pdf" "$dir/page"
echo "render: $(ls "$dir"/page-*.png | wc -l) pages in $(pwd)/$dir/ (rollcall.pdf, page-N.png)"
