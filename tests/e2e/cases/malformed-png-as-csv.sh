# A PNG image given as CSV: its bytes are neither UTF-8 nor GB18030, an
# input error (exit 2) with the line and byte offset where decoding
# failed, never garbage rows; as a roster too. Nothing is written.
"$PYTHON" - "$T/photo.csv" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\x00\xff\x00\x00" * 2)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
$RC merge -r fixtures/example/roster.csv "$T/photo.csv" -o "$T/out.csv"
rc=$?
echo "exit $rc"
$RC merge -r "$T/photo.csv" fixtures/example/results.csv -o "$T/out.csv"
echo "exit $?"
$RC check "$T/photo.csv"
echo "check exit $?"
ls "$T"
exit $rc
