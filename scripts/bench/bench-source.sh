#!/bin/sh
# bench-source: throughput of lib/source.c on a 200 MB roster-like CSV, once
# in UTF-8 and once in GB18030, with `wc -l` on the same file as the floor
# (what merely reading the bytes costs). The files are synthetic and cached
# under $BUILD/bench/; the driver is built straight from lib/rc.c and
# lib/source.c, so it needs nothing else in lib/ to compile.
# Usage: BUILD=build sh scripts/bench/bench-source.sh   (SIZE_MB=200, RUNS=3)
set -eu

cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-python3}
SIZE_MB=${SIZE_MB:-200}
RUNS=${RUNS:-3}
CC=${CC:-cc}
dir=$BUILD/bench
mkdir -p "$dir"

utf8=$dir/source-utf8-${SIZE_MB}m.csv
gb=$dir/source-gb18030-${SIZE_MB}m.csv

if [ ! -s "$utf8" ]; then
    echo "bench-source: generating $utf8" >&2
    "$PYTHON" - "$utf8" "$SIZE_MB" <<'PY'
import random, sys
# Synthetic rows: buildings, units, rooms, a name (Chinese for about one row
# in three, pinyin-like otherwise), a made-up id and phone, a result, a time.
path, size = sys.argv[1], int(sys.argv[2]) * 1000 * 1000
rng = random.Random(2022)
han = "张王李赵刘陈杨黄周吴徐孙马朱胡林郭何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武"
syll = ["an", "bo", "chen", "da", "fei", "gang", "hua", "jie", "kai", "lin", "ming", "ning", "ping", "qiang", "rui", "shan", "tao", "wei", "xin", "yan", "zhi"]
results = ["阴性", "negative", "阴性", "阴性", "待复核", "pending"]
head = "楼号,单元,室号,姓名,证件号码,手机号码,检测结果,采样时间\n"
rows = [head]
done = len(head.encode())
with open(path + ".tmp", "w", encoding="utf-8", newline="") as f:
    i = 0
    while done < size:
        if i % 3 == 0:
            name = "".join(rng.choice(han) for _ in range(rng.randint(2, 3)))
        else:
            name = rng.choice(syll).capitalize() + " " + rng.choice(syll) + rng.choice(syll)
        row = "%d,%d,%d%02d,%s,X%017d,139%08d,%s,2022-04-%02d %02d:%02d\n" % (
            rng.randint(1, 60), rng.randint(1, 6), rng.randint(1, 33), rng.randint(1, 4),
            name, rng.randrange(10 ** 17), rng.randrange(10 ** 8), rng.choice(results),
            rng.randint(1, 30), rng.randint(7, 20), rng.randint(0, 59))
        rows.append(row)
        done += len(row.encode())
        i += 1
        if len(rows) >= 10000:
            f.write("".join(rows))
            rows = []
    f.write("".join(rows))
PY
    mv "$utf8.tmp" "$utf8"
fi
if [ ! -s "$gb" ]; then
    echo "bench-source: converting to $gb" >&2
    iconv -f UTF-8 -t GB18030 "$utf8" > "$gb.tmp"
    mv "$gb.tmp" "$gb"
fi

driver=$dir/source_throughput
# shellcheck disable=SC2046
$CC -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -D_GNU_SOURCE -O2 -g \
    $(pkg-config --cflags glib-2.0) -Ilib \
    lib/rc.c lib/source.c scripts/bench/source_throughput.c \
    -o "$driver" $(pkg-config --libs glib-2.0)

now_ns() { date +%s%N; }

for f in "$utf8" "$gb"; do
    cat "$f" > /dev/null # warm the page cache: the figures are CPU, not disk
    bytes=$(wc -c < "$f")
    echo "== $(basename "$f") ($bytes bytes), best of $RUNS"
    best=""
    i=0
    while [ $i -lt "$RUNS" ]; do
        t0=$(now_ns); wc -l "$f" > /dev/null; t1=$(now_ns)
        ns=$((t1 - t0))
        if [ -z "$best" ] || [ $ns -lt "$best" ]; then best=$ns; fi
        i=$((i + 1))
    done
    echo "wc -l            $(awk -v b="$bytes" -v ns="$best" 'BEGIN { printf "%.3f s, %.0f MB/s", ns / 1e9, b / 1e6 / (ns / 1e9) }')"
    i=0
    while [ $i -lt "$RUNS" ]; do
        "$driver" "$f"
        i=$((i + 1))
    done
done
