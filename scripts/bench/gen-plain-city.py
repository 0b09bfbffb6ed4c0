#!/usr/bin/python3
"""gen-plain-city: a clean synthetic area of any size, streamed (constant
memory), for the city-scale benchmark: one roster file and one results file,
UTF-8, every id valid and unique (derived from the row number, not stored),
about 60% of residents tested once on the day, 20% twice, the rest missing.
scripts/gen-city holds every mess case but keeps its area in memory; this
one scales to 25,000,000 residents.

    gen-plain-city.py --residents N --results M --out DIR [--seed S]
"""
import argparse
import datetime
import os
import random

W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHK = "10X98765432"
AREAS = ("110101", "110105", "310104", "310115", "320102", "330106", "440106", "440305", "420106", "510107")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力波宁飞鹏斌凯"
BASE = datetime.date(1930, 1, 1)


def ident(i):
    area = AREAS[i % 10]
    j = i // 10
    day = BASE + datetime.timedelta(days=j % 30000)
    body = "%s%s%03d" % (area, day.strftime("%Y%m%d"), j // 30000)
    return body + CHK[sum(int(c) * w for c, w in zip(body, W)) % 11]


def name(i, rng):
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + (GIVEN[(i // 331) % len(GIVEN)] if i % 3 else "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, required=True)
    ap.add_argument("--results", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    n = a.residents
    with open(f"{a.out}/roster.csv", "w", encoding="utf-8", newline="") as f:
        f.write("楼号,单元,室号,姓名,身份证号,手机号,状态\n")
        buf = []
        for i in range(n):
            b = i // 600
            buf.append("%d号楼,%d单元,%d%02d,%s,%s,138%08d,\n" % (
                b + 1, (i // 120) % 5 + 1, (i // 4) % 30 + 1, i % 4 + 1, name(i, rng), ident(i), i % 10 ** 8))
            if len(buf) >= 20000:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))
    results = ("阴性",) * 96 + ("阳性", "混管阳性", "无效", "待检测")
    with open(f"{a.out}/results.csv", "w", encoding="utf-8", newline="") as f:
        f.write("采样时间,姓名,证件号码,手机号,检测结果\n")
        buf = []
        for k in range(a.results):
            i = rng.randrange(n)
            buf.append("2022-04-10 %02d:%02d:%02d,%s,%s,,%s\n" % (
                7 + k % 12, (k // 12) % 60, k % 60, name(i, rng), ident(i), results[rng.randrange(100)]))
            if len(buf) >= 20000:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))
    with open(f"{a.out}/args", "w") as f:
        f.write("--day\n2022-04-10\n-r\n%s/roster.csv\n%s/results.csv\n" % (a.out, a.out))


if __name__ == "__main__":
    main()
