#!/usr/bin/python3
"""Checks a history merge (--days, DESIGN.md section 6) against the truth
scripts/gen-city --days recorded from its plan while it generated the area:
every resident's state on every day, the last day's state and match, id,
last_negative, hours_since_negative, missed_in_a_row, days_tested and
overdue; every result row's outcome; the summary JSON's accounting, its
per-day states and tested residents, and the warning for a day without an
export. The checks it shares with check_truth.py are there.

    check_truth_days.py DIR OUT.csv SUMMARY.json UNMATCHED.csv PROBLEMS.csv
"""
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_truth as ct  # noqa: E402

HISTORY = ["last_negative", "hours_since_negative", "missed_in_a_row", "days_tested", "overdue"]


def last_negative(src, tr, g, errors):
    """last_negative and hours_since_negative of one resident: 2 values."""
    if not tr["last_negative"]:
        if g["last_negative"] or g["hours_since_negative"]:
            errors.append(f"{src}: last_negative '{g['last_negative']}' and hours '{g['hours_since_negative']}',"
                          f" truth says none (case {tr['case']})")
        return 2
    want = datetime.datetime.fromisoformat(tr["last_negative"])
    try:
        have = datetime.datetime.fromisoformat(g["last_negative"])
    except ValueError:
        have = None
    if have != want:
        errors.append(f"{src}: last_negative is '{g['last_negative']}', truth says '{tr['last_negative']}'"
                      f" (case {tr['case']})")
    try:
        h = float(g["hours_since_negative"])
    except ValueError:
        h = None
    if h is None or abs(h - float(tr["hours_since_negative"])) > 0.0051:
        errors.append(f"{src}: hours_since_negative is '{g['hours_since_negative']}', truth says "
                      f"{tr['hours_since_negative']} (case {tr['case']})")
    return 2


def main():
    d, out, summary, unmatched, problems = sys.argv[1:6]
    errors = []
    t = json.load(open(f"{d}/truth.json", encoding="utf-8"))
    day_cols = ["day:" + x["day"] for x in t["days"]]

    truth, _ = ct.read_rows(f"{d}/truth-days.csv")
    got, columns = ct.read_rows(out)
    missing_cols = [c for c in day_cols + HISTORY if c not in columns]
    if missing_cols:
        print("check_truth_days: output lacks the columns", missing_cols)
        return 1
    cells = ct.check_residents(truth, got, day_cols + ["state", "match", "id", "missed_in_a_row", "days_tested",
                                                       "overdue"], errors,
                               lambda src, tr, g: last_negative(src, tr, g, errors))
    ct.check_result_rows(d, unmatched, problems, errors)

    s = json.load(open(summary, encoding="utf-8"))
    ct.check_summary(s, t, ("results", "roster", "states"), errors)
    sd = {x["day"]: x for x in s.get("days", [])}
    for x in t["days"]:
        y = sd.get(x["day"])
        if y is None:
            errors.append(f"summary days: {x['day']} missing")
            continue
        for k in ("tested", "states"):
            if y[k] != x[k]:
                errors.append(f"summary day {x['day']} {k}: {y[k]} != truth {x[k]}")
    want_warn = sorted(x["day"] for x in t["days"] if not x["export"])
    have_warn = sorted(x["day"] for x in t["days"]
                       if any(w["code"] == "day-without-data" and x["day"] in w["message"] for w in s["warnings"]))
    if want_warn != have_warn:
        errors.append(f"day-without-data warnings for {have_warn}, truth says {want_warn}")

    n = sum(1 for x in truth.values() if x["expected_kind"] == "resident")
    return ct.verdict("check_truth_days", errors,
                      f"{n} residents x {len(day_cols)} days ({cells} values), {s['results']['rows']} result rows"
                      " and the summary agree with the truth")


if __name__ == "__main__":
    sys.exit(main())
