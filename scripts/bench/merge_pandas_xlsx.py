#!/usr/bin/python3
"""merge_pandas_xlsx.py: the job of `rollcall merge -o OUT.xlsx`, done the way a
competent pandas + openpyxl user would do it, for benchmarks
(scripts/bench/bench-workbook.sh).

    merge_pandas_xlsx.py -r ROSTER [-r ROSTER...] [--day YYYY-MM-DD | --since T --until T]
                         RESULTS... -o OUT.xlsx [-v]

The merge is merge_pandas.py's (imported, not copied: its notes on what it
leaves out hold here too). The workbook is written with openpyxl in
write-only mode (the fast way: rows streamed to disk, not held as cell
objects), with the sheets rollcall writes and their Chinese labels:

  汇总 Summary  per building: residents, exempt, tested, each state, coverage; the total
  全部 All      every resident
  阳性 Positive, 待复核 Attention (review, invalid, pending), 未检测 Missing,
  阴性 Negative, 免检 Exempt    residents by state

Every cell of a resident row carries its state's fill (a named style per
state, one for text and one for the date-time column), ids and phones are
text, sampled_at a date-time cell shown yyyy-mm-dd hh:mm, the header row is
bold and frozen. merge_pandas.py keeps no unmatched or problem rows (it only
counts them), so there are no 名单外 Unmatched and 问题 Problems sheets; no
chart, widths or page setup either (cheap in any tool).
"""

import os
import sys

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Border, Font, NamedStyle, PatternFill, Side

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import merge_pandas  # noqa: E402  (the merge, shared)

# Labels as lib/labels.c has them in Chinese.
COLUMN_LABELS = {
    "building": "楼栋", "unit": "单元", "room": "房号", "name": "姓名", "id": "证件号码", "phone": "手机号",
    "state": "状态", "result": "检测结果", "sampled_at": "采样时间", "match": "匹配方式", "flags": "标记",
    "source": "来源",
}
STATE_LABELS = {
    "negative": "阴性", "positive": "阳性", "review": "待复核", "invalid": "无效", "pending": "待出结果",
    "missing": "未检测", "exempt": "免检",
}
MATCH_LABELS = {"": "", "id": "证件号", "name+phone": "姓名+电话", "name+id-typo": "姓名+证件号笔误",
                "name+masked-id": "姓名+脱敏证件号"}
FLAG_LABELS = {
    "id-mangled": "证件号被表格软件改坏", "id-checksum": "证件号校验位不符", "id-15": "15位证件号已升为18位",
    "name-differs": "姓名与结果不一致", "ragged-row": "列数与表头不符",
}
# Fill and text colour per state (lib/out_xlsx.c tones).
TONES = {
    "negative": ("C6EFCE", "005A1E"), "positive": ("FFB8BE", "8B0009"), "review": ("FFDDA6", "7A4100"),
    "invalid": ("FBC79B", "7A3300"), "pending": ("FFEBC8", "7A4100"), "missing": ("FFF59D", "5C4A00"),
    "exempt": ("E3E3E3", "3A3A3A"),
}
SHEETS = [
    ("全部", list(STATE_LABELS)),
    ("阳性", ["positive"]),
    ("待复核", ["review", "invalid", "pending"]),
    ("未检测", ["missing"]),
    ("阴性", ["negative"]),
    ("免检", ["exempt"]),
]
SUMMARY_STATES = ["exempt", "tested", "positive", "review", "invalid", "pending", "negative", "missing"]
TESTED = ["negative", "positive", "review", "invalid", "pending"]


def flag_label(v):
    words = []
    for f in v.split(";") if v else []:
        key, sep, raw = f.partition(":")
        words.append(FLAG_LABELS[key] + sep + raw if key in FLAG_LABELS else f)
    return "；".join(words)


def add_styles(wb):
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for state, (fill, text) in TONES.items():
        for kind, fmt in (("text", "General"), ("date", "yyyy-mm-dd hh:mm")):
            wb.add_named_style(NamedStyle(
                name=f"{state}-{kind}", font=Font(color=text), border=border, number_format=fmt,
                fill=PatternFill(fill_type="solid", start_color=fill, end_color=fill)))
    wb.add_named_style(NamedStyle(name="head", font=Font(bold=True), border=border,
                                  fill=PatternFill(fill_type="solid", start_color="DCE3EC", end_color="DCE3EC")))


def header_row(ws, names):
    row = []
    for n in names:
        c = WriteOnlyCell(ws, value=n)
        c.style = "head"
        row.append(c)
    return row


def write_summary(wb, out):
    ws = wb.create_sheet("汇总")
    counts = pd.crosstab(out["building"], out["state"]).reindex(columns=list(STATE_LABELS), fill_value=0)
    order = sorted(counts.index, key=merge_pandas.natural_key)
    counts = counts.loc[order]
    counts.loc["合计"] = counts.sum()
    ws.append(["核酸检测结果汇总"])
    ws.append([])
    ws.append(header_row(ws, ["楼栋", "居民"] + [STATE_LABELS.get(s, "已检测") for s in SUMMARY_STATES]
                         + ["检测率"]))
    for building, c in counts.iterrows():
        residents = int(c.sum())
        tested = int(c[TESTED].sum())
        base = residents - int(c["exempt"])
        ws.append([building or "（未填楼栋）", residents]
                  + [tested if s == "tested" else int(c[s]) for s in SUMMARY_STATES]
                  + [tested / base if base else 1.0])


def write_residents(wb, name, rows, columns, t_col):
    ws = wb.create_sheet(name)
    ws.freeze_panes = "A2"
    ws.append(header_row(ws, [COLUMN_LABELS.get(c, c) for c in columns]))
    for values in rows:
        state = values[-1]
        text, date = state + "-text", state + "-date"
        row = []
        for i, v in enumerate(values[:-1]):
            c = WriteOnlyCell(ws, value=v)
            c.style = date if i == t_col else text
            row.append(c)
        ws.append(row)


def main():
    a, since, until = merge_pandas.parse_cli("rollcall merge to a workbook, in pandas + openpyxl (benchmark)")
    if a.output == "-" or not a.output.endswith(".xlsx"):
        sys.exit("merge_pandas_xlsx: -o OUT.xlsx is needed")
    out, counts = merge_pandas.merge(a.roster, a.results, since, until)

    columns = list(out.columns)
    view = out.copy()
    view["_state"] = out["state"]
    view["state"] = out["state"].map(STATE_LABELS)
    view["match"] = merge_pandas.per_unique(out["match"], lambda v: MATCH_LABELS.get(v, v))
    view["flags"] = merge_pandas.per_unique(out["flags"], flag_label)
    t = pd.to_datetime(out["sampled_at"], format="%Y-%m-%d %H:%M", errors="coerce")
    view["sampled_at"] = pd.Series(t.dt.to_pydatetime(), index=out.index, dtype=object).where(t.notna(), None)
    for c in columns:  # empty text cells stay styled blanks, as rollcall writes them
        if c != "sampled_at":
            view[c] = view[c].where(view[c] != "", None)
    t_col = columns.index("sampled_at")

    wb = Workbook(write_only=True)
    add_styles(wb)
    write_summary(wb, out)
    for name, states in SHEETS:
        part = view if len(states) == len(STATE_LABELS) else view[view["_state"].isin(states)]
        write_residents(wb, name, part[columns + ["_state"]].itertuples(index=False, name=None), columns, t_col)
    wb.save(a.output)
    if a.verbose:
        print(counts, file=sys.stderr)


if __name__ == "__main__":
    main()
