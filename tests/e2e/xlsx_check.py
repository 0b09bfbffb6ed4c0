#!/usr/bin/python3
"""Reads a rollcall workbook back with openpyxl (an independent reader) and
checks it against the summary JSON of the same run (DESIGN.md section 4):

  - sheet names and order for the language, continuations "NAME (2)" right
    after their sheet, none longer than --max-rows rows;
  - data rows per sheet equal the JSON's counts (states, results.unmatched,
    results.problem + roster.problem); an empty sheet says "(none)";
  - the summary's building rows and totals equal the JSON's;
  - ids and phones are text, sampled_at a date-time shown yyyy-mm-dd hh:mm,
    the line of a spooled row a number;
  - one fill per state, in the hue DESIGN.md gives it, the same on every
    sheet; unmatched rows blue;
  - header frozen, autofilter over the written range, widths set, printing
    A4 landscape one page wide with the header row repeated;
  - with --masked, no whole 18-character id or 11-digit mobile anywhere.

Usage: xlsx_check.py WORKBOOK SUMMARY.json [--lang en] [--masked]
                     [--building NAME] [--max-rows N]
Exits 0 when every check passes, 1 with one line per failure otherwise.
"""
import argparse
import datetime
import json
import re
import sys
import zipfile

import openpyxl
from openpyxl.utils import get_column_letter

SHEETS = {
    "zh": ["汇总", "全部", "阳性", "待复核", "未检测", "阴性", "免检", "名单外", "问题"],
    "en": ["Summary", "All", "Positive", "Attention", "Missing", "Negative", "Exempt", "Unmatched", "Problems"],
}
OPTIONAL = {"zh": ["历史", "逾期", "入户", "异常管", "楼层"],
            "en": ["History", "Overdue", "Door-to-door", "Tubes", "Floors"]}
ROOM = {"zh": "房号", "en": "Room"}
STATES = ["negative", "positive", "review", "invalid", "pending", "missing", "exempt"]
STATE_WORDS = {
    "zh": dict(zip(["阴性", "阳性", "待复核", "无效", "待出结果", "未检测", "免检"], STATES)),
    "en": {s.capitalize(): s for s in STATES},
}
# Which states each resident sheet holds (index into SHEETS[lang]).
SHEET_STATES = {
    1: STATES,
    2: ["positive"],
    3: ["review", "invalid", "pending"],
    4: ["missing"],
    5: ["negative"],
    6: ["exempt"],
}
HEADERS = {
    "zh": {"id": "证件号码", "phone": "手机号", "state": "状态", "sampled_at": "采样时间", "line": "行号",
           "building": "楼栋", "total": "合计", "no_building": "（未填楼栋）"},
    "en": {"id": "ID number", "phone": "Phone", "state": "State", "sampled_at": "Sampled at", "line": "Line",
           "building": "Building", "total": "Total", "no_building": "(no building)"},
}
NONE = {"zh": "（无）", "en": "(none)"}
SEE_WHOLE = {"zh": "（见全区工作簿）", "en": "(see the whole-area workbook)"}
SUMMARY_COLS = ["residents", "exempt", "tested", "positive", "review", "invalid", "pending", "negative",
                "missing"]
EXCEL_MAX_ROWS = 1048576
WHOLE_ID = re.compile(r"(?<![0-9A-Z*])[0-9]{17}[0-9X](?![0-9A-Z*])")
WHOLE_MOBILE = re.compile(r"(?<![0-9*])1[3-9][0-9]{9}(?![0-9*])")


class Checker:
    def __init__(self):
        self.failures = []

    def fail(self, msg):
        self.failures.append(msg)

    def expect(self, cond, msg):
        if not cond:
            self.fail(msg)
        return cond


def rgb(cell):
    """The cell's solid fill as (r, g, b), or None."""
    f = cell.fill
    if f is None or f.fill_type != "solid":
        return None
    c = f.fgColor.rgb if f.fgColor is not None else None
    if not isinstance(c, str) or len(c) < 6:
        return None
    c = c[-6:]
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def hue_ok(state, c):
    """DESIGN.md's colours: red positive; amber review, invalid, pending;
    yellow missing; green negative; grey exempt; blue unmatched."""
    r, g, b = c
    if state == "positive":
        return r > g + 20 and r > b + 20
    if state in ("review", "invalid", "pending"):
        return r > g > b and r - b > 40 and r - g > 10
    if state == "missing":
        return r > b + 60 and g > b + 60 and abs(r - g) < 25
    if state == "negative":
        return g > r + 10 and g > b + 10
    if state == "exempt":
        return max(c) - min(c) < 12 and max(c) < 250
    if state == "unmatched":
        return b > r + 10 and b >= g
    return False


def parts_of(wb, base):
    """The sheet named BASE and its continuations, in workbook order."""
    return [ws for ws in wb.worksheets if ws.title == base or re.fullmatch(re.escape(base) + r" \((\d+)\)", ws.title)]


def header_index(ws):
    return {c.value: i for i, c in enumerate(ws[1]) if c.value is not None}


def check_sheet_names(ck, wb, lang):
    names = [ws.title for ws in wb.worksheets]
    expected_base = SHEETS[lang]
    seen = []
    for n in names:
        m = re.fullmatch(r"(.*) \((\d+)\)", n)
        if m and m.group(1) in expected_base + OPTIONAL[lang]:
            base, k = m.group(1), int(m.group(2))
            ck.expect(seen and seen[-1][0] == base and seen[-1][1] == k - 1,
                      f"sheet '{n}' does not follow '{base}' part {k - 1}")
            seen.append((base, k))
        else:
            seen.append((n, 1))
    bases = [b for b, k in seen if k == 1]
    # DESIGN.md sections 6 and 7: History and Overdue with --days (checked
    # by the history cases), then Door-to-door and Floors exactly when a resident of
    # this workbook has a room (read from the All sheet).
    history = [n for n in OPTIONAL[lang][:2] if n in bases]
    all_ws = wb[expected_base[1]]
    room_col = header_index(all_ws).get(ROOM[lang])
    has_rooms = room_col is not None and any(
        r[room_col] not in (None, "") for r in all_ws.iter_rows(min_row=2, values_only=True))
    # Tubes last when a result row carried a tube code (tubes.sh checks its rows).
    tubes = [OPTIONAL[lang][3]] if OPTIONAL[lang][3] in bases else []
    rooms = [OPTIONAL[lang][2], OPTIONAL[lang][4]] if has_rooms else []
    expected = expected_base + history + rooms + tubes
    ck.expect(bases == expected, f"sheets {bases} are not {expected} in that order")


def check_table_sheet(ck, ws, max_rows):
    """Frozen header, autofilter, widths, print setup of a table sheet."""
    t = ws.title
    ck.expect(ws.freeze_panes == "A2", f"{t}: header not frozen (freeze_panes {ws.freeze_panes})")
    last = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    ck.expect(ws.auto_filter.ref == last, f"{t}: autofilter {ws.auto_filter.ref}, expected {last}")
    ck.expect(ws.max_row <= max_rows, f"{t}: {ws.max_row} rows, over the limit of {max_rows}")
    for i in range(1, ws.max_column + 1):
        d = ws.column_dimensions.get(get_column_letter(i))
        ck.expect(d is not None and d.width and 4 <= d.width <= 52,
                  f"{t}: column {get_column_letter(i)} width not fitted ({d.width if d else None})")
    check_print(ck, ws, repeat=True)


def check_print(ck, ws, repeat):
    t = ws.title
    ps = ws.page_setup
    ck.expect(ps.orientation == "landscape", f"{t}: not landscape")
    ck.expect(str(ps.paperSize) == "9", f"{t}: paper size {ps.paperSize}, not A4 (9)")
    ck.expect(ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage,
              f"{t}: not fit to page")
    ck.expect(ps.fitToWidth in (None, 1, "1"), f"{t}: fit to {ps.fitToWidth} pages wide, not 1")
    ck.expect(ps.fitToHeight in (0, "0"), f"{t}: fit to {ps.fitToHeight} pages tall, not any")
    if repeat:
        ck.expect(ws.print_title_rows in ("$1:$1", "1:1"), f"{t}: header row not repeated ({ws.print_title_rows})")


def data_rows(ws):
    return list(ws.iter_rows(min_row=2))


def logical_count(ck, parts, lang, note):
    """Data rows over every part; an empty sheet's note row counts 0."""
    rows = [r for ws in parts for r in data_rows(ws)]
    if len(rows) == 1 and rows[0][0].value == note and all(c.value is None for c in rows[0][1:]):
        return 0, []
    for r in rows:
        if r[0].value in (NONE[lang], SEE_WHOLE[lang]):
            ck.fail(f"{parts[0].title}: a note row '{r[0].value}' among data rows")
    return len(rows), rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workbook")
    ap.add_argument("summary")
    ap.add_argument("--lang", choices=["zh", "en"], default="zh")
    ap.add_argument("--masked", action="store_true")
    ap.add_argument("--building", help="the workbook is this building's (--split-by building)")
    ap.add_argument("--max-rows", type=int, default=EXCEL_MAX_ROWS, help="rows per sheet the writer was given")
    a = ap.parse_args()
    lang = a.lang
    ck = Checker()
    with open(a.summary, encoding="utf-8") as f:
        js = json.load(f)
    wb = openpyxl.load_workbook(a.workbook)
    names = SHEETS[lang]
    H = HEADERS[lang]
    words = STATE_WORDS[lang]

    check_sheet_names(ck, wb, lang)

    # Expected counts: the whole run's, or one building's.
    if a.building is not None:
        b = [x for x in js["buildings"] if x["building"] == a.building]
        states = b[0]["states"] if b else {s: 0 for s in STATES}
        buildings = b
    else:
        states = js["states"]
        buildings = js["buildings"]
    total = {s: states[s] for s in STATES}
    total["residents"] = sum(states.values())
    total["tested"] = total["residents"] - states["missing"] - states["exempt"]

    # --- resident sheets
    fills = {}  # state -> rgb, over every sheet
    for idx, wanted in SHEET_STATES.items():
        parts = parts_of(wb, names[idx])
        if not ck.expect(parts, f"no sheet '{names[idx]}'"):
            continue
        for ws in parts:
            check_table_sheet(ck, ws, a.max_rows)
        if a.max_rows < EXCEL_MAX_ROWS:
            for ws in parts[:-1]:
                ck.expect(ws.max_row == a.max_rows, f"{ws.title}: {ws.max_row} rows, continued before full")
        n, rows = logical_count(ck, parts, lang, NONE[lang])
        want = sum(states[s] for s in wanted)
        ck.expect(n == want, f"{names[idx]}: {n} data rows, the summary JSON says {want}")
        hi = header_index(parts[0])
        for key in ("id", "phone", "state", "sampled_at"):
            ck.expect(H[key] in hi, f"{names[idx]}: no '{H[key]}' column")
        if not all(H[k] in hi for k in ("id", "phone", "state", "sampled_at")):
            continue
        for r in rows:
            where = f"{r[0].parent.title}!{r[0].row}"
            st = words.get(r[hi[H["state"]]].value)
            if not ck.expect(st in wanted, f"{where}: state '{r[hi[H['state']]].value}' on sheet {names[idx]}"):
                continue
            for key in ("id", "phone"):
                c = r[hi[H[key]]]
                ck.expect(c.value is None or isinstance(c.value, str),
                          f"{where}: {key} {c.value!r} is a {type(c.value).__name__}, not text")
            c = r[hi[H["sampled_at"]]]
            if c.value is not None:
                ck.expect(isinstance(c.value, datetime.datetime),
                          f"{where}: sampled_at {c.value!r} is not a date-time")
                ck.expect(c.number_format == "yyyy-mm-dd hh:mm",
                          f"{where}: sampled_at shown as '{c.number_format}'")
            row_fills = {rgb(c) for c in r}
            if not ck.expect(len(row_fills) == 1 and None not in row_fills,
                             f"{where}: row not filled evenly ({row_fills})"):
                continue
            fill = row_fills.pop()
            if st in fills:
                ck.expect(fills[st] == fill, f"{where}: {st} filled {fill}, elsewhere {fills[st]}")
            else:
                fills[st] = fill
                ck.expect(hue_ok(st, fill), f"{where}: {st} filled {fill}, not its colour")

    # --- unmatched and problems
    spool = [(7, js["results"]["unmatched"], True), (8, js["results"]["problem"] + js["roster"]["problem"], False)]
    for idx, want, blue in spool:
        parts = parts_of(wb, names[idx])
        if not ck.expect(parts, f"no sheet '{names[idx]}'"):
            continue
        for ws in parts:
            check_table_sheet(ck, ws, a.max_rows)
        if a.building is not None:
            rows = [r for ws in parts for r in data_rows(ws)]
            ck.expect(len(rows) == 1 and rows[0][0].value == SEE_WHOLE[lang],
                      f"{names[idx]}: a building's workbook should point to the whole-area one")
            continue
        n, rows = logical_count(ck, parts, lang, NONE[lang])
        ck.expect(n == want, f"{names[idx]}: {n} data rows, the summary JSON says {want}")
        hi = header_index(parts[0])
        for r in rows:
            where = f"{r[0].parent.title}!{r[0].row}"
            if H["line"] in hi:
                ck.expect(isinstance(r[hi[H["line"]]].value, int), f"{where}: line is not a number")
            for key in ("id", "phone"):
                if H[key] in hi:
                    c = r[hi[H[key]]]
                    ck.expect(c.value is None or isinstance(c.value, str), f"{where}: {key} is not text")
            if blue:
                f = rgb(r[0])
                ck.expect(f is not None and hue_ok("unmatched", f), f"{where}: unmatched row not blue ({f})")
                if f is not None:
                    ck.expect(f not in fills.values(), f"{where}: unmatched fill is also a state's")
    ck.expect(len(set(fills.values())) == len(fills), f"two states share a fill: {fills}")

    # --- summary
    parts = parts_of(wb, names[0])
    if ck.expect(len(parts) == 1, f"summary sheet '{names[0]}' missing or split"):
        ws = parts[0]
        check_print(ck, ws, repeat=False)
        rows = list(ws.iter_rows(values_only=True))
        head = next((i for i, r in enumerate(rows) if r and r[0] == H["building"]), None)
        if ck.expect(head is not None, f"summary: no table header '{H['building']}'"):
            got = {}
            i = head + 1
            while i < len(rows) and rows[i][0] not in (None, H["total"]):
                got[rows[i][0]] = rows[i]
                i += 1
            ck.expect(i < len(rows) and rows[i][0] == H["total"], "summary: no totals row after the buildings")
            for b in buildings:
                label = b["building"] or H["no_building"]
                r = got.pop(label, None)
                if not ck.expect(r is not None, f"summary: no row for building '{label}'"):
                    continue
                want = dict(b["states"], residents=b["residents"], tested=b["tested"])
                for k, col in enumerate(SUMMARY_COLS, start=1):
                    ck.expect(r[k] == want[col], f"summary: {label} {col} {r[k]}, the JSON says {want[col]}")
                ck.expect(abs((r[10] or 0) - b["coverage"]) < 0.0001, f"summary: {label} coverage {r[10]}")
            ck.expect(not got, f"summary: rows for buildings the JSON does not have: {list(got)}")
            if i < len(rows):
                r = rows[i]
                for k, col in enumerate(SUMMARY_COLS, start=1):
                    ck.expect(r[k] == total[col], f"summary: total {col} {r[k]}, the JSON says {total[col]}")
                cov = ws.cell(row=i + 1, column=11)
                ck.expect("%" in cov.number_format, f"summary: coverage shown as '{cov.number_format}'")
                if a.building is None:
                    ck.expect(abs((r[10] or 0) - js["coverage"]) < 0.0001, f"summary: total coverage {r[10]}")
        # openpyxl does not read charts back: look in the package.
        with zipfile.ZipFile(a.workbook) as z:
            charts = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
            rels = z.read("xl/worksheets/_rels/sheet1.xml.rels").decode() if charts else ""
            kinds = [re.search(r"<c:(\w+)Chart>", z.read(n).decode()) for n in charts]
        if buildings and len(buildings) <= 60:
            ck.expect(len(charts) == 1 and "drawing" in rels, f"summary: {len(charts)} charts, expected 1")
            ck.expect(all(k and k.group(1) == "bar" for k in kinds), "summary: the chart is not a bar chart")

    # --- masking
    if a.masked:
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    if isinstance(v, str) and (WHOLE_ID.search(v) or WHOLE_MOBILE.search(v)):
                        ck.fail(f"{ws.title}: unmasked id or phone in '{v}'")

    for f in ck.failures[:50]:
        print(f"xlsx_check: {a.workbook}: {f}", file=sys.stderr)
    if len(ck.failures) > 50:
        print(f"xlsx_check: ... and {len(ck.failures) - 50} more", file=sys.stderr)
    return 1 if ck.failures else 0


if __name__ == "__main__":
    sys.exit(main())
