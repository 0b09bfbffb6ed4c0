# DESIGN.md sections 1 and 7 (issue 18 items 1, 2, 5 and Fixtures): 8号楼 of
# fixtures/after-tally, households of one to six, floors 1 to 33. Checked by
# hand (fixtures/README.md): 101 all tested, 202 partly, 1203 none, 2-101
# all exempt, B101 all (its exempt member does not count), 3301 partly (one
# of six missing), 商铺3 none — households all 2, partly 2, none 2, exempt
# 1. The door list holds the 6 missing residents, floor 2 before 12 before
# 33, 商铺3 last with no floor; the notice a line per household to test
# (202, 1203, 3301, 商铺3). The same roster with a 户号 column gives the same
# door list, notice and counts.
F=fixtures/after-tally
for r in households-roster households-roster-huhao; do
    mkdir -p "$T/$r/notice"
    $RC merge -q -r "$F/$r.csv" --day 2022-04-10 "$F/households-results.csv" --door-list "$T/$r/door.csv" \
        --notice "$T/$r/notice" --summary-json "$T/$r/s.json" -o "$T/$r/o.csv"
    echo "$r: exit $?"
done
cat "$T/households-roster/door.csv"
cat "$T/households-roster/notice/8号楼.txt"
grep '"households"' "$T/households-roster/s.json"
diff "$T/households-roster/door.csv" "$T/households-roster-huhao/door.csv" && echo "户号: the same door list"
diff -r "$T/households-roster/notice" "$T/households-roster-huhao/notice" && echo "户号: the same notice"
grep '"households"' "$T/households-roster/s.json" >"$T/a"
grep '"households"' "$T/households-roster-huhao/s.json" >"$T/b"
diff "$T/a" "$T/b" && echo "户号: the same counts"
