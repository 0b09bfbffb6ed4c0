#!/usr/bin/python3
"""gen-plain-city: a synthetic area of any size, streamed (constant memory),
for the city-scale benchmarks: one roster file and one results file, UTF-8,
every roster id valid and unique (derived from the row number, not stored),
about 60% of residents tested once on the day, 20% twice, the rest missing.
scripts/gen-city holds every mess case but keeps its area in memory; this
one scales to 25,000,000 residents.

Names repeat as they do in life (the default, --names real): surnames drawn
by their real weights (王 and 李 about 7% each), given names of one or two
characters from Zipf-weighted pools, so that at 1,000,000 residents the
commonest full names are each held by about a thousand residents (0.1%)
while a few hundred thousand are held by one. About 4% of result rows then
need rescue (DESIGN.md section 3.2): no id but the roster's phone, an id
one character off, a masked id with the phone, and visitors who are not on
the roster (40% of them sharing a resident's name); the name tables and
the draw are scripts/names.py's, which scripts/gen-city shares. --names
uniform gives the old almost-unique names and clean ids only, for
comparison.

    gen-plain-city.py --residents N --results M --out DIR [--seed S] [--names real|uniform]

DIR/kinds.txt counts the result rows of each kind written.
"""
import argparse
import datetime
import os
import random
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import names  # noqa: E402  scripts/names.py: the real-frequency tables, shared with scripts/gen-city

W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHK = "10X98765432"
AREAS = ("110101", "110105", "310104", "310115", "320102", "330106", "440106", "440305", "420106", "510107")
BASE = datetime.date(1930, 1, 1)

# uniform mode (the old names)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力波宁飞鹏斌凯"

REAL = None        # scripts/names.py's RealNames, in real mode


def mix(x):
    """splitmix64: a well-spread 64-bit hash of x."""
    x = (x + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def ident(i):
    area = AREAS[i % 10]
    j = i // 10
    day = BASE + datetime.timedelta(days=j % 30000)
    body = "%s%s%03d" % (area, day.strftime("%Y%m%d"), j // 30000)
    return body + CHK[sum(int(c) * w for c, w in zip(body, W)) % 11]


def name_uniform(i):
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + (GIVEN[(i // 331) % len(GIVEN)] if i % 3 else "")


def name_real(i, salt=0):
    return REAL.name(mix(i * 2 + 1 + salt * 0x1000003))


def typo(idn, rng):
    """The id with one digit among the first 17 changed (a checksum failure,
    as a mistyped id usually is)."""
    k = rng.randrange(6, 17)
    d = str((int(idn[k]) + rng.randrange(1, 10)) % 10)
    return idn[:k] + d + idn[k + 1:]


def main():
    global REAL
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, required=True)
    ap.add_argument("--results", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--names", choices=("real", "uniform"), default="real")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    real = a.names == "real"
    if real:
        REAL = names.RealNames()
    name = name_real if real else name_uniform
    n = a.residents
    with open(f"{a.out}/roster.csv", "w", encoding="utf-8", newline="") as f:
        f.write("楼号,单元,室号,姓名,身份证号,手机号,状态\n")
        buf = []
        for i in range(n):
            b = i // 600
            buf.append("%d号楼,%d单元,%d%02d,%s,%s,138%08d,\n" % (
                b + 1, (i // 120) % 5 + 1, (i // 4) % 30 + 1, i % 4 + 1, name(i), ident(i), i % 10 ** 8))
            if len(buf) >= 20000:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))
    results = ("阴性",) * 96 + ("阳性", "混管阳性", "无效", "待检测")
    kinds = {"id": 0, "phone": 0, "typo": 0, "masked": 0, "visitor": 0, "visitor-same-name": 0}
    with open(f"{a.out}/results.csv", "w", encoding="utf-8", newline="") as f:
        f.write("采样时间,姓名,证件号码,手机号,检测结果\n")
        buf = []
        for k in range(a.results):
            i = rng.randrange(n)
            nm, idn, phone = name(i), ident(i), ""
            r = rng.randrange(1000) if real else 999
            if r < 15:    # no id: the roster's phone rescues
                idn, phone, kind = "", "138%08d" % (i % 10 ** 8), "phone"
            elif r < 25:  # one digit mistyped
                idn, kind = typo(idn, rng), "typo"
            elif r < 30:  # a system that masks ids, no phone
                idn, kind = idn[:3] + "*" * 11 + idn[-4:], "masked"
            elif r < 42:  # a visitor, not on the roster
                if rng.randrange(10) < 4:  # 40% share a resident's name
                    kind, nm = "visitor-same-name", name(rng.randrange(n))
                else:                      # a name drawn alike: may still be a resident's
                    kind, nm = "visitor", name(n + k, salt=7)
                idn, phone = ident(n + 1000 + k), "139%08d" % (k % 10 ** 8)
            else:
                kind = "id"
            kinds[kind] += 1
            # 43,200 distinct times of day (07:00:00 to 18:59:59), so that a
            # resident drawn twice in a day is almost never the same sample
            buf.append("2022-04-10 %02d:%02d:%02d,%s,%s,%s,%s\n" % (
                7 + (k // 3600) % 12, (k // 60) % 60, k % 60, nm, idn, phone, results[rng.randrange(100)]))
            if len(buf) >= 20000:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))
    with open(f"{a.out}/args", "w") as f:
        f.write("--day\n2022-04-10\n-r\n%s/roster.csv\n%s/results.csv\n" % (a.out, a.out))
    with open(f"{a.out}/kinds.txt", "w") as f:
        for kname, c in kinds.items():
            f.write("%s %d\n" % (kname, c))


if __name__ == "__main__":
    main()
