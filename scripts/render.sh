#!/bin/sh
# make render: the demo workbook as an official would print it — converted
# to PDF by LibreOffice (headless) and to PNG pages by pdftoppm — so that a
# person can look at widths, colours and page breaks; then the pictures
# README shows, one sheet each, into docs/: summary.png (the demo's
# summary), floors.png (楼层), door.png (入户), history.png (历史) and
# summary-days.png (the summary of a 5-day history, with its line chart of
# coverage per day). Installs libreoffice-calc-nogui, poppler-utils and a
# CJK font (fonts-wqy-zenhei) when missing (not needed by CI).
set -eu
cd "$(dirname "$0")/.."
RC=${RC:-build/rollcall}
PYTHON=${PYTHON:-/usr/bin/python3}
dir=build/render
for p in libreoffice-calc-nogui poppler-utils fonts-wqy-zenhei; do
    dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing="${missing:-} $p"
done
if [ -n "${missing:-}" ]; then
    echo "render: installing$missing" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
rm -rf "$dir"
mkdir -p "$dir"
cp build/demo/rollcall.xlsx "$dir/rollcall.xlsx"
pdf() { HOME=$(pwd)/$dir soffice --headless --convert-to pdf --outdir "$dir" "$1" >/dev/null 2>&1; }
pdf "$dir/rollcall.xlsx"
pdftoppm -png -r 60 "$dir/rollcall.pdf" "$dir/page"
echo "render: $(ls "$dir"/page-*.png | wc -l) pages in $(pwd)/$dir/ (rollcall.pdf, page-N.png)"

# A small history: 5 days of a generated area (its args hold --days, --now, --valid).
"$PYTHON" scripts/gen-city --names uniform --days 5 --residents 120 --results 0 --seed 2022 --out "$dir/days" >/dev/null
# shellcheck disable=SC2046
"$RC" merge -q $(cat "$dir/days/args") -o "$dir/history.xlsx"

# One sheet of WORKBOOK into a workbook of its own, its first page as PNG.
sheet() {
    "$PYTHON" - "$1" "$2" "$dir/sheet-$3.xlsx" <<'PY'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in list(wb.worksheets):
    if ws.title != sys.argv[2]:
        wb.remove(ws)
wb.save(sys.argv[3])
PY
    pdf "$dir/sheet-$3.xlsx"
    pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$dir/sheet-$3.pdf" "docs/$3"
}
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$dir/rollcall.pdf" docs/summary
sheet "$dir/rollcall.xlsx" 楼层 floors
sheet "$dir/rollcall.xlsx" 入户 door
sheet "$dir/history.xlsx" 历史 history
pdf "$dir/history.xlsx"
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$dir/history.pdf" docs/summary-days
echo "render: docs/summary.png docs/floors.png docs/door.png docs/history.png docs/summary-days.png"
