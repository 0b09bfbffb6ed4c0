#!/bin/sh
# bench-xlsx: reading a 1,000,000-row .xlsx roster, in rows/s: `rollcall
# check` (inflate + XML + header roles, every row handed on) in both thread
# modes, `rollcall merge` loading it as its roster, beside pandas.read_excel
# and openpyxl in read-only mode on the same file, and `unzip -p` as the
# inflate floor. Target (issue "Read .xlsx"): at least 10x pandas.
# The workbook is written once into $BUILD/bench like Excel writes one:
# shared strings, ids as text, rooms and phones as numbers.
# Usage: BUILD=build sh scripts/bench/bench-xlsx.sh ROLLCALL   (RUNS=3, ROWS=1000000,
#        PYRUNS=1 for the Python readers, which take minutes; PYRUNS=0 skips them)
set -eu
cd "$(dirname "$0")/../.."
RC=$1
BUILD=${BUILD:-build}
RUNS=${RUNS:-3}
PYRUNS=${PYRUNS:-1}
ROWS=${ROWS:-1000000}
PYTHON=${PYTHON:-/usr/bin/python3}
dir=$BUILD/bench
book=$dir/roster-$ROWS.xlsx
mkdir -p "$dir"

if [ ! -s "$book" ]; then
    echo "bench-xlsx: writing $book ($ROWS rows)" >&2
    "$PYTHON" - "$book.tmp" "$ROWS" <<'PY'
import random, sys, zipfile
from xml.sax.saxutils import escape
path, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(20220410)
SUR, GIV = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def check(s17):
    return "10X98765432"[sum(int(a) * b for a, b in zip(s17, W)) % 11]
sst, strings = {}, []
def si(s):
    i = sst.get(s)
    if i is None:
        i = sst[s] = len(strings)
        strings.append(s)
    return i
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
z = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} xmlns:r="{REL}"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>')
z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>')
z.writestr("xl/styles.xml", f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
head = ["楼号", "单元", "室号", "姓名", "身份证号", "手机号", "状态", "备注2"]
with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
    f.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS} xmlns:r="{REL}"><dimension ref="A1:H{n + 1}"/><sheetData>'.encode())
    out = ['<row r="1" spans="1:8">' + "".join(f'<c r="{"ABCDEFGH"[i]}1" t="s"><v>{si(h)}</v></c>' for i, h in enumerate(head)) + "</row>"]
    for r in range(2, n + 2):
        s17 = "310104%04d%02d%02d%03d" % (rnd.randint(1940, 2015), rnd.randint(1, 12), rnd.randint(1, 28), rnd.randint(0, 999))
        name = rnd.choice(SUR) + rnd.choice(GIV) + (rnd.choice(GIV) if rnd.random() < 0.6 else "")
        cells = (f'<c r="A{r}" t="s"><v>{si("%d号楼" % rnd.randint(1, 60))}</v></c>'
                 f'<c r="B{r}" t="s"><v>{si("%d单元" % rnd.randint(1, 6))}</v></c>'
                 f'<c r="C{r}"><v>{rnd.randint(1, 30) * 100 + rnd.randint(1, 4)}</v></c>'
                 f'<c r="D{r}" t="s"><v>{si(name)}</v></c>'
                 f'<c r="E{r}" s="1" t="s"><v>{si(s17 + check(s17))}</v></c>'
                 f'<c r="F{r}"><v>{13800000000 + r}</v></c>')
        if rnd.random() < 0.05:
            cells += f'<c r="G{r}" t="s"><v>{si("外出")}</v></c>'
        out.append(f'<row r="{r}" spans="1:8">{cells}</row>')
        if len(out) >= 10000:
            f.write("".join(out).encode())
            out = []
    out.append("</sheetData></worksheet>")
    f.write("".join(out).encode())
with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
    f.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {NS} count="{len(strings)}" uniqueCount="{len(strings)}">'.encode())
    for i in range(0, len(strings), 10000):
        f.write("".join(f"<si><t>{escape(s)}</t></si>" for s in strings[i:i + 10000]).encode())
    f.write(b"</sst>")
z.close()
PY
    mv "$book.tmp" "$book"
fi
printf '姓名,检测结果\n' > "$dir/results-none.csv"

best() { # "SECONDS MIB": the best wall time of N runs of CMD and its peak RSS: best N CMD...
    n=$1
    shift
    i=0
    b=""
    while [ $i -lt "$n" ]; do
        r=$(/usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1)
        if [ -z "$b" ] || awk -v r="$r" -v b="$b" 'BEGIN { split(r, x, " "); split(b, y, " "); exit !(x[1] < y[1]) }'; then
            b=$r
        fi
        i=$((i + 1))
    done
    echo "$b" | awk '{ printf "%s %.0f", $1, $2 / 1024 }'
}

line() { # line NAME "SECONDS MIB"
    echo "$2" | awk -v n="$1" -v r="$ROWS" -v p="${pandas:-}" '{
        t = $1; split(p, q, " ")
        x = (p != "" && t > 0) ? sprintf("%.1fx", q[1] / t) : ""
        printf "%-34s %9.2f %12.0f %9s %10s\n", n, t, r / t, $2, x }'
}

# the Python readers, each reading every row of the sheet: pyread pandas|openpyxl FILE
pyread='
import sys
kind, path = sys.argv[1], sys.argv[2]
if kind == "pandas":
    import pandas
    n = len(pandas.read_excel(path, dtype=str))
else:
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
print(n)'

mb=$(awk -v b="$(stat -c %s "$book")" 'BEGIN { printf "%.1f", b / 1e6 }')
printf 'bench-xlsx: %s data rows, %s MB .xlsx, best of %s runs (%s cores)\n' "$ROWS" "$mb" "$RUNS" "$(nproc)"
pandas=""
if [ "$PYRUNS" -gt 0 ]; then
    pandas=$(best "$PYRUNS" "$PYTHON" -W ignore -c "$pyread" pandas "$book")
    openpyxl=$(best "$PYRUNS" "$PYTHON" -W ignore -c "$pyread" openpyxl "$book")
fi
printf '%-34s %9s %12s %9s %10s\n' reader seconds rows/s "peak MiB" "vs pandas"
line "unzip -p | wc -c (inflate floor)" "$(best "$RUNS" sh -c "unzip -p '$book' xl/worksheets/sheet1.xml xl/sharedStrings.xml | wc -c")"
line "rollcall check" "$(best "$RUNS" "$RC" check "$book")"
line "rollcall check --threads 1" "$(best "$RUNS" "$RC" check --threads 1 "$book")"
line "rollcall merge (roster load)" \
    "$(best "$RUNS" "$RC" merge -q -r "$book" "$dir/results-none.csv" -o /dev/null --format csv)"
if [ -n "$pandas" ]; then
    line "openpyxl read-only" "$openpyxl"
    line "pandas.read_excel" "$pandas"
fi
