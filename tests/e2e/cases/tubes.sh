# DESIGN.md section 7, pooled tubes (issue 18 item 4): 10-in-1 tubes of
# 2022-04-10 — G001 all negative (not listed), G002 a pooled review
# (混管阳性) whose rows include one off the roster (unmatched, with its
# reason) and one whose code is written full-width with a trailing space
# (the same tube after NFKC and trimming), G003 a pooled positive with one
# row whose result word is unknown (a problem row, listed with its reason)
# and one sampled the day before (out of the window: not listed).
# The roster's status (居家不外出 for the resident of 5号楼 1单元 501) shows in
# the status column. Checked by hand: G002 lists 10 rows (9 residents, then 钱多多 unmatched),
# G003 lists 10 (9 residents, then the problem row); G001 none.
"$PYTHON" - "$T" <<'PY'
import sys
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def pid(n):
    body = "1101011980%02d%02d%03d" % (1 + n // 28, 1 + n % 28, n)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, W)) % 11]
sur = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
giv = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
names = [sur[i % 20] + giv[(i * 7) % 20] + ("" if i % 3 else giv[(i * 3 + 1) % 20]) for i in range(30)]
rooms = ["%d%02d" % (f, p) for f in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10) for p in (1, 2, 3)]
with open(sys.argv[1] + "/名单.csv", "w") as f:
    f.write("楼号,单元,室号,姓名,身份证号,手机号,状态\n")
    for i in range(30):
        f.write("5号楼,%d单元,%s,%s,%s,1380000%04d,%s\n" % (1 + i // 15, rooms[i], names[i], pid(i), i,
                                                       "居家不外出" if i == 12 else ""))
with open(sys.argv[1] + "/结果.csv", "w") as f:
    f.write("采样时间,试管编号,姓名,证件号码,手机号,检测结果\n")
    for i in range(10):
        f.write("2022-04-10 08:%02d,G001,%s,%s,,混采阴性\n" % (i, names[i], pid(i)))
    for i in range(10, 19):
        tube = "Ｇ００２ " if i == 14 else "G002"
        f.write("2022-04-10 09:%02d,%s,%s,%s,,混管阳性\n" % (i, tube, names[i], pid(i)))
    f.write("2022-04-10 09:30,G002,钱多多,,17000000001,混管阳性\n")
    for i in range(19, 28):
        f.write("2022-04-10 10:%02d,G003,%s,%s,,阳性\n" % (i, names[i], pid(i)))
    f.write("2022-04-10 10:40,G003,%s,%s,,作废了\n" % (names[28], pid(28)))
    f.write("2022-04-09 10:40,G003,%s,%s,,阳性\n" % (names[29], pid(29)))
PY
$RC merge -q -r "$T/名单.csv" --day 2022-04-10 "$T/结果.csv" --tubes "$T/tubes.csv" -o "$T/o.xlsx"
echo "exit $?"
cat "$T/tubes.csv"
echo "rows: $(($(wc -l <"$T/tubes.csv") - 1))"
# masked: phones of residents and of the unmatched row
$RC merge -q --mask -r "$T/名单.csv" --day 2022-04-10 "$T/结果.csv" --tubes - -o "$T/o.csv" | grep -E "G002.*钱多多|G003.*王伟"
# the workbook's 异常管 sheet, read back
"$PYTHON" - "$T/o.xlsx" <<'PY'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(wb.sheetnames)
ws = wb["异常管"]
print(ws.freeze_panes, ws.auto_filter.ref)
for row in ws.iter_rows():
    fill = row[0].fill.fgColor.rgb if row[0].fill and row[0].fill.fill_type else "none"
    print(" ", fill[-6:], " | ".join("" if c.value is None else str(c.value) for c in row))
PY
# no tube column at all: no sheet
$RC merge -q -r "$T/名单.csv" --day 2022-04-10 fixtures/example/results.csv --tubes "$T/none.csv" -o "$T/n.xlsx"
cat "$T/none.csv"
"$PYTHON" -c 'import openpyxl,sys; print(openpyxl.load_workbook(sys.argv[1]).sheetnames)' "$T/n.xlsx"
