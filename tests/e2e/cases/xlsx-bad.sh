# Bad workbooks are input errors (exit 2) with a clear message, never a
# crash, and leave an existing output untouched. Each is made from a good
# fixture (LibreOffice's, which has shared strings) by a few lines of Python.
echo previous > "$T/out.csv"
ok=fixtures/xlsx/roster-libreoffice.xlsx
run() { $RC merge -q -r "$1" fixtures/example/results.csv -o "$T/out.csv"; echo "exit $?"; }
# rewrite(OUT, PART, DATA): OK with PART replaced by DATA (None: left out)
rewrite() {
    "$PYTHON" - "$ok" "$@" <<'PY'
import re, sys, zipfile
src, out, part, data = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
with zipfile.ZipFile(src) as zi, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
    for info in zi.infolist():
        body = zi.read(info.filename)
        if info.filename == part:
            if data == "None":
                continue
            body = eval(data)(body) if data.startswith("lambda") else data.encode()
        zo.writestr(info.filename, body)
PY
}
printf '楼号,姓名\n1,张三\n' > "$T/text.xlsx"
run "$T/text.xlsx"
head -c 4000 "$ok" > "$T/truncated.xlsx"
run "$T/truncated.xlsx"
rewrite "$T/nosheet.xlsx" xl/worksheets/sheet1.xml None
run "$T/nosheet.xlsx"
rewrite "$T/nosst.xlsx" xl/sharedStrings.xml None
run "$T/nosst.xlsx"
rewrite "$T/index.xlsx" xl/worksheets/sheet1.xml 'lambda b: re.sub(rb"(<c r=.D4.[^>]*><v>)[0-9]+", rb"\g<1>4000", b)'
run "$T/index.xlsx"
rewrite "$T/badxml.xlsx" xl/worksheets/sheet1.xml 'lambda b: b.replace(b"</row>", b"</rows>", 2)'
run "$T/badxml.xlsx"
rewrite "$T/bomb.xlsx" xl/worksheets/sheet1.xml 'lambda b: b.replace(b"<sheetData>", b"<sheetData>" + b" " * (12 << 20))'
run "$T/bomb.xlsx"
"$PYTHON" - "$T/encrypted.xlsx" <<'PY'
import struct, sys
# an OLE compound file holding EncryptionInfo and EncryptedPackage streams
h = bytearray(512)
h[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
struct.pack_into("<HHHHH", h, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
struct.pack_into("<IIIIIIII", h, 0x2C, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
struct.pack_into("<I", h, 0x4C, 0)
h[0x50:512] = b"\xff" * (512 - 0x50)
fat = bytearray(b"\xff" * 512)
struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)
d = bytearray(512)
for i, (name, kind) in enumerate([("Root Entry", 5), ("EncryptionInfo", 2), ("EncryptedPackage", 2)]):
    u = name.encode("utf-16-le") + b"\0\0"
    d[128 * i:128 * i + len(u)] = u
    struct.pack_into("<HB", d, 128 * i + 64, len(u), kind)
open(sys.argv[1], "wb").write(bytes(h + fat + d))
PY
run "$T/encrypted.xlsx"
$RC merge -q -r "$ok" --sheet 名单 fixtures/example/results.csv -o "$T/out.csv"; echo "exit $?"
$RC check "$T/encrypted.xlsx"; echo "exit $?"
cat "$T/out.csv"
