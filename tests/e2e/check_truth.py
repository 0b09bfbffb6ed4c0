#!/usr/bin/python3
"""Checks a merge against the truth scripts/gen-city recorded while it
generated the area: every resident's state, match and id; every result and
roster row's outcome (applied, out_of_window, unmatched, problem); and the
summary JSON's accounting.

    check_truth.py DIR OUT.csv SUMMARY.json UNMATCHED.csv PROBLEMS.csv

check_truth_days.py (a history) shares the checks below.
"""
import csv
import json
import sys


def read_rows(path):
    """A CSV's rows by their source (FILE:LINE), and the reader's columns."""
    reader = csv.DictReader(open(path, encoding="utf-8"))
    return {r["source"]: r for r in reader}, reader.fieldnames


def check_residents(truth, got, keys, errors, more=None):
    """Every roster row of TRUTH: a problem row stays out of GOT, a resident
    is in it with KEYS as the truth says (a key the truth lacks is skipped:
    truths made before it); MORE(src, truth row, got row) checks the rest.
    Returns the number of values compared."""
    values = 0
    for src, t in truth.items():
        if t["expected_kind"] != "resident":
            if src in got:
                errors.append(f"{src}: expected a roster problem, got a resident row")
            continue
        g = got.get(src)
        if g is None:
            errors.append(f"{src}: resident missing from the output")
            continue
        for k in keys:
            if k in t:
                values += 1
                if g[k] != t[k]:
                    errors.append(f"{src}: {k} is '{g[k]}', truth says '{t[k]}' (case {t.get('case', '')})")
        if more:
            values += more(src, t, g)
    extra = set(got) - set(truth)
    if extra:
        errors.append(f"{len(extra)} output rows not in the truth, e.g. {sorted(extra)[:3]}")
    return values


def check_result_rows(d, unmatched, problems, errors):
    """Every result row's outcome in DIR/truth-results.csv against the
    spooled unmatched and problem rows."""
    spooled = {}
    for path, outcome in ((unmatched, "unmatched"), (problems, "problem")):
        for r in csv.DictReader(open(path, encoding="utf-8")):
            spooled[f"{r['file']}:{r['line']}"] = outcome
    for r in csv.DictReader(open(f"{d}/truth-results.csv", encoding="utf-8")):
        want = r["outcome"]
        have = spooled.get(r["source"])
        if want in ("unmatched", "problem") and have != want:
            errors.append(f"{r['source']}: truth says {want}, output says {have or 'applied or out of window'}"
                          f" (case {r.get('case', '')})")
        if want in ("applied", "out_of_window") and have:
            errors.append(f"{r['source']}: truth says {want}, output says {have} (case {r.get('case', '')})")


def check_summary(s, t, keys, errors):
    """The summary S against the truth T on KEYS, and its accounting: every
    result row and every roster row exactly one thing."""
    for k in ("results", "roster"):  # a truth without rows that are not data has none
        t[k].setdefault("ignored", 0)
    for k in keys:
        if s[k] != t[k]:
            errors.append(f"summary {k}: {s[k]} != truth {t[k]}")
    res = s["results"]
    if res["rows"] != res["applied"] + res["out_of_window"] + res["unmatched"] + res["problem"] + res["ignored"]:
        errors.append(f"results accounting does not add up: {res}")
    ro = s["roster"]
    if ro["rows"] != ro["residents"] + ro["problem"] + ro["ignored"]:
        errors.append(f"roster accounting does not add up: {ro}")


def verdict(name, errors, agreed):
    """Prints the first disagreements, or AGREED; the exit status."""
    for e in errors[:50]:
        print(f"{name}:", e)
    if errors:
        print(f"{name}: {len(errors)} disagreements with the truth")
        return 1
    print(f"{name}: {agreed}")
    return 0


def main():
    d, out, summary, unmatched, problems = sys.argv[1:6]
    errors = []
    truth, _ = read_rows(f"{d}/truth-residents.csv")
    got, _ = read_rows(out)
    # building, unit, status and flags: in truths made since places and
    # statuses were (DESIGN.md section 2)
    def flags(src, t, g):
        # flags as a set (the output's order is its own)
        if "flags" in t and sorted(filter(None, g["flags"].split(";"))) != sorted(filter(None, t["flags"].split(";"))):
            errors.append(f"{src}: flags are '{g['flags']}', truth says '{t['flags']}' (case {t.get('case', '')})")
        return 0

    check_residents(truth, got, ("state", "match", "id", "building", "unit", "status"), errors, flags)
    check_result_rows(d, unmatched, problems, errors)
    s = json.load(open(summary, encoding="utf-8"))
    t = json.load(open(f"{d}/truth.json", encoding="utf-8"))
    t["matches"].setdefault("name+household", 0)  # a truth made before households had none
    check_summary(s, t, ("results", "roster", "states", "matches"), errors)
    return verdict("check_truth", errors, f"{len(truth)} roster rows and their results agree with the truth")


if __name__ == "__main__":
    sys.exit(main())
