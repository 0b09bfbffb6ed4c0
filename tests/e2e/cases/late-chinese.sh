# The first Chinese character after 2 MB of ASCII still decides the
# encoding, in UTF-8 and in GB18030 (files made here, not checked in).
$PYTHON - "$T" <<'PY'
import sys
d = sys.argv[1]
head = "name,id,result,sampled_at\n"
rows = "".join("resident%06d,%018d,negative,2022-04-10 08:00\n" % (i, i) for i in range(45000))
tail = "张三,110101198001010010,阴性,2022-04-10 09:00\n"
for enc in ("utf-8", "gb18030"):
    with open(f"{d}/late-{enc}.csv", "wb") as f:
        f.write((head + rows + tail).encode(enc))
PY
ls -l "$T"/late-utf-8.csv | awk '{ print ($5 > 2000000) ? "over 2 MB" : "too small" }'
$RC check "$T/late-utf-8.csv" "$T/late-gb18030.csv" | grep -E 'encoding|rows'
echo "exit $?"
printf '姓名,身份证号\n张三,110101198001010010\n' > "$T/r.csv"
$RC merge -q -r "$T/r.csv" "$T/late-gb18030.csv" | cut -d, -f4-10
