# Output to /dev/full, a device that is no regular file: written in place
# (never renamed over or unlinked: it is still the character device after),
# the write fails with ENOSPC, exit 3. For a workbook the temporary that
# libxlsxwriter writes (in $TMPDIR) is removed; nothing is left behind.
mkdir "$T/tmp"
for fmt in csv tsv json xlsx; do
    TMPDIR="$T/tmp" $RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv \
        --format $fmt -o /dev/full
    echo "$fmt exit $?"
done
TMPDIR="$T/tmp" $RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv \
    -o /dev/null --summary-json /dev/full
echo "summary exit $?"
ls -l /dev/full | cut -c1
ls -A "$T/tmp"
echo "left in \$TMPDIR: $(ls -A "$T/tmp" | wc -l)"
TMPDIR="$T/tmp" $RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv -o /dev/full
