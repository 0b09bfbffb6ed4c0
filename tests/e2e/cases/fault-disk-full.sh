# A disk that fills in the middle of an output (a file size limit stands for
# it): exit 3 with the previous output untouched and no temporary left, not
# death by SIGXFSZ. The workbook fails in the temporary file of its All
# sheet (fault-workbook-temp-cut tries every limit), the CSV in the stream;
# libxlsxwriter's own [ERROR] lines are left out, and the temporary's random
# suffix is shown as XXXXXX.
mkdir "$T/d" "$T/tmp"
export TMPDIR="$T/tmp"
echo previous > "$T/d/out.xlsx"
echo previous > "$T/d/out.csv"
(ulimit -f 16; exec $RC merge -q $(cat fixtures/demo/args) -o "$T/d/out.xlsx") 2>"$T/err"
echo "workbook exit $?"
# 2 KiB: room for the spools of the demo's problem rows, not for its CSV.
(ulimit -f 4; exec $RC merge -q $(cat fixtures/demo/args) -o "$T/d/out.csv") 2>>"$T/err"
echo "csv exit $?"
grep -v '^\[ERROR\]' "$T/err" | sed 's/\(\.out\.[a-z]*\.\)[A-Za-z0-9]\{6\}/\1XXXXXX/g'
cat "$T/d/out.xlsx" "$T/d/out.csv"
ls -A "$T/d"
