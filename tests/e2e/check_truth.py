#!/usr/bin/python3
"""Checks a merge against the truth scripts/gen-city recorded while it
generated the area: every resident's state, match and id; every result and
roster row's outcome (applied, out_of_window, unmatched, problem); and the
summary JSON's accounting.

    check_truth.py DIR OUT.csv SUMMARY.json UNMATCHED.csv PROBLEMS.csv
"""
import csv
import json
import sys


def main():
    d, out, summary, unmatched, problems = sys.argv[1:6]
    errors = []

    truth = {r["source"]: r for r in csv.DictReader(open(f"{d}/truth-residents.csv", encoding="utf-8"))}
    got = {r["source"]: r for r in csv.DictReader(open(out, encoding="utf-8"))}
    for src, t in truth.items():
        if t["expected_kind"] != "resident":
            if src in got:
                errors.append(f"{src}: expected a roster problem, got a resident row")
            continue
        g = got.get(src)
        if g is None:
            errors.append(f"{src}: resident missing from the output")
            continue
        # building, unit, status and flags: in truths made since places and
        # statuses were (DESIGN.md section 2)
        for k in ("state", "match", "id", "building", "unit", "status"):
            if k in t and g[k] != t[k]:
                errors.append(f"{src}: {k} is '{g[k]}', truth says '{t[k]}' (case {t.get('case', '')})")
        # flags as a set (the output's order is its own)
        if "flags" in t and sorted(filter(None, g["flags"].split(";"))) != sorted(filter(None, t["flags"].split(";"))):
            errors.append(f"{src}: flags are '{g['flags']}', truth says '{t['flags']}' (case {t.get('case', '')})")
    extra = set(got) - set(truth)
    if extra:
        errors.append(f"{len(extra)} output rows not in the truth, e.g. {sorted(extra)[:3]}")

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

    s = json.load(open(summary, encoding="utf-8"))
    t = json.load(open(f"{d}/truth.json", encoding="utf-8"))
    for k in ("results", "roster"):  # a truth without rows that are not data has none
        t[k].setdefault("ignored", 0)
    t["matches"].setdefault("name+household", 0)  # a truth made before households had none
    for k in ("results", "roster", "states", "matches"):
        if s[k] != t[k]:
            errors.append(f"summary {k}: {s[k]} != truth {t[k]}")
    res = s["results"]
    if res["rows"] != res["applied"] + res["out_of_window"] + res["unmatched"] + res["problem"] + res["ignored"]:
        errors.append(f"results accounting does not add up: {res}")
    ro = s["roster"]
    if ro["rows"] != ro["residents"] + ro["problem"] + ro["ignored"]:
        errors.append(f"roster accounting does not add up: {ro}")

    for e in errors[:50]:
        print("check_truth:", e)
    if errors:
        print(f"check_truth: {len(errors)} disagreements with the truth")
        return 1
    print(f"check_truth: {len(truth)} roster rows and their results agree with the truth")
    return 0


if __name__ == "__main__":
    sys.exit(main())
