#!/usr/bin/python3
"""merge_pandas.py: the job of `rollcall merge --format csv`, done the way a
competent pandas user would do it, for benchmarks (scripts/bench/bench-merge.sh).

    merge_pandas.py -r ROSTER [-r ROSTER...] [--day YYYY-MM-DD | --since T --until T]
                    RESULTS... [-o OUT.csv] [-v]

Inputs are plain UTF-8 CSVs with a header on the first line (what
`scripts/gen-city --plain` writes); columns are found by their header names
(DESIGN.md section 1 aliases). Everything is columnar: strings read once with
dtype=str, normalised with pandas' vectorised .str methods (NFKC only on the
non-ASCII values, regexes and result words only on the distinct values),
matched with merges, and each resident's state decided with one sort.

Deliberate differences from rollcall, all outside what the benchmark data
stresses much:
  - rescue is by name + phone only: the id-typo and masked-id rescues
    (DESIGN.md section 3.2) are omitted, so those rows come out unmatched;
  - no encoding detection, title rows, `;`/TAB delimiters or .xlsx input;
  - source line numbers are row index + 2, exact only without quoted
    newlines (pandas does not report physical line numbers);
  - over-long ragged rows are skipped by pandas with a warning (rollcall
    keeps them with a flag);
  - no unmatched/problem spool files or summary JSON: those rows are counted
    (printed with -v) but not written.
"""

import argparse
import os
import re
import sys
import unicodedata

import numpy as np
import pandas as pd

# DESIGN.md section 1: header aliases per role (compared after NFKC, strip, lower).
ROSTER_ALIASES = {
    "id": "证件号码 身份证号 身份证号码 身份证 证件号 公民身份号码 id id_number id_no idnumber",
    "name": "姓名 name",
    "building": "楼号 楼栋 栋 幢 楼 building",
    "unit": "单元 unit",
    "room": "室号 房号 门牌号 户号 room",
    "phone": "手机号 手机号码 联系电话 电话 phone mobile",
    "status": "状态 在住状态 人员状态 备注 status",
}
RESULTS_ALIASES = {
    "id": ROSTER_ALIASES["id"],
    "name": ROSTER_ALIASES["name"],
    "phone": ROSTER_ALIASES["phone"],
    "result": "检测结果 结果 核酸结果 result",
    "sampled_at": "采样时间 sampled_at sample_time",
    "reported_at": "检测时间 报告时间 结果时间 reported_at",
}

# DESIGN.md section 2: result vocabulary, tried in this order, matched whole, caseless.
VOCABULARY = [
    ("review", r"混管阳性|待复核|复核|可疑|疑似|弱阳性|review"),
    ("positive", r"阳性|阳|positive|pos|\+|\(\+\)"),
    ("negative", r"阴性|阴|negative|neg|-|\(-\)"),
    ("invalid", r"无效|不合格|样本异常|invalid|rejected"),
    ("pending", r"|待检测|检测中|未出结果|pending"),
]
VOCAB_RE = [(state, re.compile(f"(?:{rx})", re.IGNORECASE)) for state, rx in VOCABULARY]
EXEMPT = r"外出|不在住|离沪|出差|住院|away|exempt"

# GB 11643 / ISO 7064 MOD 11-2.
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK = np.array(list("10X98765432"))

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
CJK = "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
NAME_DOTS = "\u00b7\u2022\u2027\u30fb\uff0e\uff65"

TIME_FORMATS = (
    "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y.%m.%d %H:%M",
    "%Y年%m月%d日 %H时%M分", "%Y年%m月%d日 %H时%M分%S秒", "%Y年%m月%d日%H时%M分",
    "%Y年%m月%d日 %H:%M", "%Y年%m月%d日%H:%M", "%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日",
)

OUT_COLUMNS = ["building", "unit", "room", "name", "id", "phone", "state", "result",
               "sampled_at", "match", "flags", "source"]


# ---------------------------------------------------------------- reading

def header_key(h):
    return unicodedata.normalize("NFKC", h).strip().lower()


def find_columns(path, aliases):
    """Maps each role to the header it is found under, in PATH's first line."""
    header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    found = {}
    for role, names in aliases.items():
        keys = names.split()
        for h in header:
            if header_key(h) in keys and h not in found.values():
                found[role] = h
                break
    return found, list(header)


def read_table(path, usecols=None):
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig",
                     usecols=usecols, on_bad_lines="warn", engine="c")
    return df  # with na_filter off, empty and missing fields are already ""


# ---------------------------------------------------------------- normalisation

def nfkc(s):
    """NFKC, paid only by the values that have a non-ASCII character."""
    wide = ~s.map(str.isascii)
    if wide.any():
        s = s.copy()
        s[wide] = [unicodedata.normalize("NFKC", v) for v in s[wide]]
    return s


def per_unique(s, fn):
    """FN over the distinct values of S only (result words, buildings: few)."""
    codes, uniques = pd.factorize(s, sort=False)
    mapped = np.array([fn(u) for u in uniques] + [""], dtype=object)
    return pd.Series(mapped[codes], index=s.index)  # code -1 (none here) picks ""


def check_chars(d17):
    """The check character of each 17-digit string, with numpy."""
    if len(d17) == 0:
        return pd.Series([], dtype=object, index=d17.index)
    digits = np.frombuffer("".join(d17).encode("ascii"), dtype=np.uint8).reshape(-1, 17) - ord("0")
    return pd.Series(ID_CHECK[(digits.astype(np.int64) @ ID_WEIGHTS) % 11], index=d17.index)


def norm_id(raw):
    """Returns (id, mangled, masked, upgraded15, bad_check) Series. Most ids
    are already 18 clean characters: only the others are cleaned."""
    s = raw.copy()
    clean = s.str.fullmatch(r"[0-9]{17}[0-9X]")
    dirty = ~clean & (s != "")
    mangled = pd.Series(False, index=s.index)
    masked = mangled.copy()
    upgraded = mangled.copy()
    m18 = clean.copy()
    if dirty.any():
        d = nfkc(s[dirty])
        d = d.str.replace(rf"[\s\-{ZERO_WIDTH}]", "", regex=True)
        d = d.str.replace(r"^'", "", regex=True).str.replace(r"\.0$", "", regex=True).str.upper()
        mangled[dirty] = mg = d.str.fullmatch(r"[0-9](?:\.[0-9]+)?E\+?[0-9]+")
        d = d.mask(mg, "")
        masked[dirty] = d.str.contains("*", regex=False)
        upgraded[dirty] = f15 = d.str.fullmatch(r"[0-9]{15}")
        if f15.any():
            d17 = d[f15].str[:6] + "19" + d[f15].str[6:]
            d[f15] = d17 + check_chars(d17)
        m18[dirty] = d.str.fullmatch(r"[0-9]{17}[0-9X]")
        s[dirty] = d
    bad = pd.Series(False, index=s.index)
    if m18.any():
        bad[m18] = check_chars(s[m18].str[:17]) != s[m18].str[17]
    return s, mangled, masked, upgraded, bad


def norm_name_unique(s):
    """The comparison key: CJK names lose all spaces, others fold case and spaces."""
    s = s.str.strip()
    key = s.str.replace(r"\s+", " ", regex=True).str.lower()
    wide = ~s.map(str.isascii)
    if wide.any():
        w = nfkc(s[wide]).str.replace(f"[{ZERO_WIDTH}]", "", regex=True)
        w = w.str.replace(f"[{NAME_DOTS}]", "\u00b7", regex=True)
        w = w.str.replace(f"(?<=[{CJK}])\\.(?=[{CJK}])", "\u00b7", regex=True)
        cjk = w.str.contains(f"[{CJK}]", regex=True)
        w = w.where(~cjk, w.str.replace(r"\s+", "", regex=True))
        w = w.where(cjk, w.str.replace(r"\s+", " ", regex=True).str.strip().str.casefold())
        key[wide] = w
    return key


def norm_name(raw):
    """Names repeat (a few thousand surname and given-name pairs): the work
    is done once per distinct spelling."""
    codes, uniques = pd.factorize(raw, sort=False)
    keys = norm_name_unique(pd.Series(uniques, dtype=object)).to_numpy()
    return pd.Series(keys[codes], index=raw.index)


def norm_phone(raw):
    """Digits only; a leading 86 or 0086 dropped from 13+ digit numbers."""
    s = raw.copy()
    dirty = ~s.str.fullmatch(r"[0-9]{11}") & (s != "")
    if dirty.any():
        d = nfkc(s[dirty]).str.replace(r"[^0-9]", "", regex=True)
        long_ = d.str.len() >= 13
        d[long_] = d[long_].str.replace(r"^(?:0086|86)", "", regex=True)
        s[dirty] = d
    return s


def norm_text(v):
    v = unicodedata.normalize("NFKC", v) if not v.isascii() else v
    v = re.sub(f"[{ZERO_WIDTH}]", "", v)
    return " ".join(v.split())


def result_state(v):
    v = norm_text(v)
    for state, rx in VOCAB_RE:
        if rx.fullmatch(v):
            return state
    return "unknown"


def parse_times(raw):
    """Naive datetimes; NaT where nothing parses. Debian's pandas 1.5 has no
    format="mixed", and per-value inference is slow: the common format first
    (the fast ISO path), then each other format on what is still unparsed,
    then Excel serial day numbers (1900 system: day 0 is 1899-12-30)."""
    s = raw.str.strip()
    out = pd.to_datetime(s, format="%Y-%m-%d %H:%M:%S", errors="coerce")
    for fmt in TIME_FORMATS:
        todo = out.isna() & (s != "")
        if not todo.any():
            break
        out[todo] = pd.to_datetime(s[todo], format=fmt, errors="coerce")
    todo = out.isna() & s.str.fullmatch(r"[0-9]{1,6}(?:\.[0-9]+)?")
    if todo.any():
        days = pd.to_numeric(s[todo])
        out[todo] = (pd.Timestamp("1899-12-30") + pd.to_timedelta(days, unit="D")).dt.round("s")
    return out


# ---------------------------------------------------------------- ordering

def natural_key(v):
    """Digit runs compare as numbers ("2号楼" < "10号楼"); "" sorts last."""
    if v == "":
        return ((2, ""),)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", v) if p != "")


def natural_rank(s):
    """Integer ranks in natural order, computed over the distinct values."""
    uniques = pd.unique(s)
    order = sorted(uniques, key=natural_key)
    rank = {v: i for i, v in enumerate(order)}
    return s.map(rank)


# ---------------------------------------------------------------- the merge

def load_rosters(paths):
    frames = []
    extras = []
    for fileno, path in enumerate(paths):
        roles, header = find_columns(path, ROSTER_ALIASES)
        if "name" not in roles:
            sys.exit(f"merge_pandas: {path}: no name column")
        df = read_table(path)
        role_of = {h: r for r, h in roles.items()}
        for h in header:
            if h not in role_of and h not in extras:
                extras.append(h)
        df = df.rename(columns={h: "_" + r for h, r in role_of.items()})
        for r in ROSTER_ALIASES:
            if "_" + r not in df:
                df["_" + r] = ""
        df["source"] = os.path.basename(path) + ":" + (df.index + 2).astype(str)
        df["file"] = fileno
        frames.append(df)
    ro = pd.concat(frames, ignore_index=True)
    if len(frames) > 1:  # a column only some rosters have is NaN in the others
        ro[extras] = ro[extras].fillna("")

    ro["id"], mangled, masked, upgraded, bad = norm_id(ro["_id"])
    ro.loc[masked, "id"] = ""  # a masked id identifies nobody on a roster
    ro["name_key"] = norm_name(ro["_name"])
    ro["name"] = ro["_name"].str.strip()
    ro["phone"] = norm_phone(ro["_phone"])
    for col in ("building", "unit", "room"):
        ro[col] = per_unique(ro["_" + col], norm_text)
    ro["exempt"] = ro["_status"].str.contains(EXEMPT, case=False, regex=True)

    flags = pd.Series("", index=ro.index)
    flags[mangled] = "id-mangled:" + ro.loc[mangled, "_id"]
    for mask, word in ((bad, "id-checksum"), (upgraded, "id-15")):
        flags[mask] = flags[mask].where(flags[mask] == "", flags[mask] + ";") + word
    ro["roster_flags"] = flags

    # Roster problems: nothing to identify the row, or an id seen before (the first stands).
    no_key = (ro["id"] == "") & (ro["name_key"] == "")
    dup = (ro["id"] != "") & ro["id"].duplicated(keep="first")
    problems = int((no_key | dup).sum())
    ro = ro[~(no_key | dup)].reset_index(drop=True)
    ro["res"] = ro.index
    return ro, extras, problems


def load_results(paths):
    frames = []
    for path in paths:
        roles, _ = find_columns(path, RESULTS_ALIASES)
        if "result" not in roles or ("id" not in roles and "name" not in roles):
            sys.exit(f"merge_pandas: {path}: no result column, or neither id nor name")
        df = read_table(path, usecols=list(roles.values()))
        df = df.rename(columns={h: r for r, h in roles.items()})
        for r in RESULTS_ALIASES:
            if r not in df:
                df[r] = ""
        df["source"] = os.path.basename(path) + ":" + (df.index + 2).astype(str)
        frames.append(df[list(RESULTS_ALIASES) + ["source"]])
    rs = pd.concat(frames, ignore_index=True)
    rs["seq"] = np.arange(len(rs))
    return rs


def merge(roster_paths, result_paths, since, until):
    ro, extras, roster_problems = load_rosters(roster_paths)
    rs = load_results(result_paths)

    rs["id_key"], mangled, masked, _, _ = norm_id(rs["id"])
    rs["name_key"] = norm_name(rs["name"])
    rs["phone_key"] = norm_phone(rs["phone"])
    rs["state"] = per_unique(rs["result"], result_state)
    rs["sampled"] = parse_times(rs["sampled_at"])
    rs["reported"] = parse_times(rs["reported_at"])
    rs["t"] = rs["sampled"].fillna(rs["reported"])

    # DESIGN.md section 3.2, in its order: problems, window, unknown result.
    id_usable = (rs["id_key"] != "") & ~masked
    windowed = since is not None or until is not None
    problem = ~id_usable & (rs["name_key"] == "")
    if windowed:
        problem |= rs["t"].isna()
    in_window = pd.Series(True, index=rs.index)
    if since is not None:
        in_window &= rs["t"] >= since
    if until is not None:
        in_window &= rs["t"] < until
    out_of_window = ~problem & ~in_window
    problem |= ~out_of_window & (rs["state"] == "unknown")
    live = rs[~problem & ~out_of_window]

    # Match by id.
    by_id = ro.loc[ro["id"] != "", ["id", "res", "name_key"]].rename(
        columns={"id": "id_key", "name_key": "roster_name_key"})
    # Roster ids are never "" or masked here, so unusable result ids find nobody.
    live = live.merge(by_id, on="id_key", how="left")
    live["match"] = np.where(live["res"].notna(), "id", "")
    live["name_differs"] = (live["match"] == "id") & (live["name_key"] != "") & \
        (live["roster_name_key"].fillna("") != "") & (live["name_key"] != live["roster_name_key"].fillna(""))

    # Rescue the rest by name + phone: exactly one resident with both.
    # (The id-typo and masked-id rescues of DESIGN.md 3.2 are left out.)
    by_name_phone = (ro[(ro["name_key"] != "") & (ro["phone"] != "")]
                     .groupby(["name_key", "phone"], sort=False)["res"]
                     .agg(rescue_res="first", rescue_n="size").reset_index()
                     .rename(columns={"phone": "phone_key"}))
    live = live.merge(by_name_phone, on=["name_key", "phone_key"], how="left")
    rescued = live["res"].isna() & (live["rescue_n"] == 1) & (live["phone_key"] != "")
    live.loc[rescued, "res"] = live.loc[rescued, "rescue_res"]
    live.loc[rescued, "match"] = "name+phone"

    applied = live[live["res"].notna()].copy()
    unmatched = int(live["res"].isna().sum())
    applied["res"] = applied["res"].astype(np.int64)

    # A resident's state: positive is sticky, else the latest sample decides
    # (by time, then input order: ties go to the later input).
    applied["positive"] = applied["state"] == "positive"
    decided = (applied.sort_values(["res", "positive", "t", "seq"], na_position="first")
               .drop_duplicates("res", keep="last")
               .set_index("res"))

    out = ro.join(decided[["state", "result", "sampled", "match", "name_differs"]], on="res")
    out["state"] = out["state"].where(out["state"].notna(), np.where(ro["exempt"], "exempt", "missing"))
    out["result"] = out["result"].fillna("")
    out["match"] = out["match"].fillna("")
    out["sampled_at"] = out["sampled"].dt.strftime("%Y-%m-%d %H:%M").fillna("")
    nd = out["name_differs"].fillna(False).astype(bool)
    out["flags"] = out["roster_flags"]
    out.loc[nd, "flags"] = out.loc[nd, "flags"].where(out.loc[nd, "flags"] == "",
                                                      out.loc[nd, "flags"] + ";") + "name-differs"

    out["_b"] = natural_rank(out["building"])
    out["_u"] = natural_rank(out["unit"])
    out["_r"] = natural_rank(out["room"])
    out = out.sort_values(["_b", "_u", "_r", "res"], kind="stable")

    counts = {
        "results": {"rows": len(rs), "applied": len(applied), "out_of_window": int(out_of_window.sum()),
                    "unmatched": unmatched, "problem": int(problem.sum())},
        "roster": {"rows": len(ro) + roster_problems, "residents": len(ro), "problem": roster_problems},
        "states": out["state"].value_counts().to_dict(),
        "matches": applied["match"].value_counts().to_dict(),
    }
    return out[OUT_COLUMNS + extras], counts


def parse_cli(description):
    """The command line (shared with merge_pandas_xlsx.py): the parsed
    arguments and the window as (since, until) Timestamps or None."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("-r", "--roster", action="append", required=True, metavar="FILE")
    ap.add_argument("--day", metavar="YYYY-MM-DD")
    ap.add_argument("--since", metavar="TIME")
    ap.add_argument("--until", metavar="TIME")
    ap.add_argument("-o", "--output", default="-", metavar="FILE")
    ap.add_argument("-v", "--verbose", action="store_true", help="counts on stderr")
    ap.add_argument("results", nargs="+", metavar="RESULTS")
    a = ap.parse_args()
    since = pd.Timestamp(a.since) if a.since else None
    until = pd.Timestamp(a.until) if a.until else None
    if a.day:
        since = pd.Timestamp(a.day)
        until = since + pd.Timedelta(days=1)
    return a, since, until


def main():
    a, since, until = parse_cli("rollcall merge, in pandas (benchmark contender)")
    out, counts = merge(a.roster, a.results, since, until)
    out.to_csv(sys.stdout if a.output == "-" else a.output, index=False, encoding="utf-8")
    if a.verbose:
        print(counts, file=sys.stderr)


if __name__ == "__main__":
    main()
