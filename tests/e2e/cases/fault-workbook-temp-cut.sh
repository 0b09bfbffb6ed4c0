# libxlsxwriter writes each sheet to temporary files first and does not
# check those writes: under a file size limit (or a full $TMPDIR) a sheet
# could be cut short inside a workbook that still zips and closes, and the
# run exited 0 over the previous workbook (issue 13 item 1). Under every
# limit tried, in both writer modes, a run must either exit 0 with every
# part of its workbook whole XML, or exit 3 with the previous workbook in
# place and no temporary left. Limits are in blocks of 512 bytes (dash).
mkdir "$T/d" "$T/tmp"
export TMPDIR="$T/tmp"
# try LABEL FIRST LAST ARGS...: every limit from FIRST to LAST blocks; prints
# the runs that broke the rule and the distinct messages of the others.
try() {
    label=$1 first=$2 last=$3
    shift 3
    bad=0
    : >"$T/msgs"
    for blocks in $(seq "$first" "$last"); do
        echo previous > "$T/d/out.xlsx"
        (ulimit -f "$blocks"; exec $RC merge -q "$@" -o "$T/d/out.xlsx") 2>"$T/err"
        code=$?
        grep -v '^\[ERROR\]' "$T/err" | sed 's/\(\.out\.xlsx\.\)[A-Za-z0-9]\{6\}/\1XXXXXX/g' >>"$T/msgs"
        if [ $code = 3 ] && [ "$(cat "$T/d/out.xlsx")" = previous ] && [ -z "$(ls -A "$T/d" "$T/tmp" | grep '^\.')" ]; then
            :
        elif [ $code = 0 ] && "$PYTHON" -c '
import sys, zipfile, xml.dom.minidom
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for n in z.namelist():
    if n.endswith(".xml") or n.endswith(".rels"):
        xml.dom.minidom.parseString(z.read(n))
' "$T/d/out.xlsx" 2>/dev/null; then
            :
        else
            bad=$((bad + 1))
            echo "$label, ulimit -f $blocks: exit $code"
            cat "$T/err"
        fi
    done
    echo "$label: $bad of $((last - first + 1)) runs broke the rule; messages:"
    sort -u "$T/msgs"
}
# The demo (a 43-block workbook whose largest sheet is 47 blocks unzipped):
# the zip writer fails first, or a sheet's temporary while rows are written.
args=$(cat fixtures/demo/args)
try "demo" 20 60 --threads 2 $args
try "demo, one thread" 20 60 --threads 1 $args
# 500 residents: the All sheet (sheet2.xml) is far larger than the workbook.
# Around its size the rows all reach their temporary, and the sheet is cut
# while libxlsxwriter assembles it: what reading the workbook back finds.
$PYTHON scripts/gen-city --names uniform --residents 500 --results 500 --seed 3 --out "$T/city" >/dev/null || exit 9
city=$(cat "$T/city/args")
$RC merge -q $city -o "$T/whole.xlsx" || exit 9
s=$("$PYTHON" -c 'import sys, zipfile; print(-(-zipfile.ZipFile(sys.argv[1]).getinfo("xl/worksheets/sheet2.xml").file_size // 512))' "$T/whole.xlsx")
try "500 residents" $((s - 6)) $((s + 1)) $city
ls -A "$T/d" "$T/tmp"
