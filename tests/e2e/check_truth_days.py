#!/usr/bin/python3
"""Checks a history merge (--days, DESIGN.md section 6) against the truth
scripts/gen-city --days recorded from its plan while it generated the area:
every resident's state on every day, the last day's state and match, id,
last_negative, hours_since_negative, missed_in_a_row, days_tested and
overdue; every result row's outcome; the summary JSON's accounting, its
per-day states and tested residents, and the warning for a day without an
export.

    check_truth_days.py DIR OUT.csv SUMMARY.json UNMATCHED.csv PROBLEMS.csv
"""
import csv
import datetime
import json
import sys


def main():
    d, out, summary, unmatched, problems = sys.argv[1:6]
    errors = []
    t = json.load(open(f"{d}/truth.json", encoding="utf-8"))
    day_cols = ["day:" + x["day"] for x in t["days"]]

    truth = {r["source"]: r for r in csv.DictReader(open(f"{d}/truth-days.csv", encoding="utf-8"))}
    reader = csv.DictReader(open(out, encoding="utf-8"))
    missing_cols = [c for c in day_cols + ["last_negative", "hours_since_negative", "missed_in_a_row",
                                           "days_tested", "overdue"] if c not in reader.fieldnames]
    if missing_cols:
        print("check_truth_days: output lacks the columns", missing_cols)
        return 1
    got = {r["source"]: r for r in reader}
    cells = 0
    for src, tr in truth.items():
        if tr["expected_kind"] != "resident":
            if src in got:
                errors.append(f"{src}: expected a roster problem, got a resident row")
            continue
        g = got.get(src)
        if g is None:
            errors.append(f"{src}: resident missing from the output")
            continue
        for k in day_cols + ["state", "match", "id", "missed_in_a_row", "days_tested", "overdue"]:
            cells += 1
            if g[k] != tr[k]:
                errors.append(f"{src}: {k} is '{g[k]}', truth says '{tr[k]}' (case {tr['case']})")
        cells += 2
        if tr["last_negative"]:
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
        elif g["last_negative"] or g["hours_since_negative"]:
            errors.append(f"{src}: last_negative '{g['last_negative']}' and hours '{g['hours_since_negative']}',"
                          f" truth says none (case {tr['case']})")
    extra = set(got) - set(truth)
    if extra:
        errors.append(f"{len(extra)} output rows not in the truth, e.g. {sorted(extra)[:3]}")

    spooled = {}
    for path, outcome in ((unmatched, "unmatched"), (problems, "problem")):
        for r in csv.DictReader(open(path, encoding="utf-8")):
            spooled[f"{r['file']}:{r['line']}"] = outcome
    for r in csv.DictReader(open(f"{d}/truth-results.csv", encoding="utf-8")):
        want, have = r["outcome"], spooled.get(r["source"])
        if want in ("unmatched", "problem") and have != want:
            errors.append(f"{r['source']}: truth says {want}, output says {have or 'applied or out of window'}"
                          f" (case {r['case']})")
        if want in ("applied", "out_of_window") and have:
            errors.append(f"{r['source']}: truth says {want}, output says {have} (case {r['case']})")

    s = json.load(open(summary, encoding="utf-8"))
    t["results"].setdefault("ignored", 0)
    t["roster"].setdefault("ignored", 0)
    for k in ("results", "roster", "states"):
        if s[k] != t[k]:
            errors.append(f"summary {k}: {s[k]} != truth {t[k]}")
    res = s["results"]
    if res["rows"] != res["applied"] + res["out_of_window"] + res["unmatched"] + res["problem"] + res["ignored"]:
        errors.append(f"results accounting does not add up: {res}")
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

    for e in errors[:50]:
        print("check_truth_days:", e)
    if errors:
        print(f"check_truth_days: {len(errors)} disagreements with the truth")
        return 1
    n = sum(1 for x in truth.values() if x["expected_kind"] == "resident")
    print(f"check_truth_days: {n} residents x {len(day_cols)} days ({cells} values), {res['rows']} result rows"
          " and the summary agree with the truth")
    return 0


if __name__ == "__main__":
    sys.exit(main())
