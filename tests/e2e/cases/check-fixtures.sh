# How every real-world export shape is read: UTF-8 with BOM, GB18030 with
# CRLF, UTF-16LE TSV, semicolons, a title row, an embedded newline, ragged
# rows; then the files that cannot be read (exit 2 each, named with line).
$RC check fixtures/roster-utf8-bom.csv fixtures/roster-gb18030.csv fixtures/results-utf16le.tsv \
    fixtures/results-semicolon.csv fixtures/results-title.csv fixtures/results-embedded-newline.csv \
    fixtures/roster-ragged.csv
echo "exit $?"
$RC check fixtures/no-header.csv; echo "exit $?"
$RC check fixtures/bad-gb.csv; echo "exit $?"
$RC check --encoding utf-8 fixtures/roster-gb18030.csv; echo "exit $?"
$RC check --encoding gbk fixtures/roster-gb18030.csv | head -2; echo "exit $?"
$RC check --encoding klingon fixtures/roster-gb18030.csv; echo "exit $?"
