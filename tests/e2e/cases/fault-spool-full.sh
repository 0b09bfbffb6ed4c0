# The spools of unmatched and problem rows are written as the results
# stream: a disk that fills under them (a file size limit stands for it) is
# an output error, exit 3, never a run that exits 0 with a short
# --unmatched. 40,000 visitors' rows: their spool passes 2 MiB long before
# the --unmatched CSV would. The spools live in $TMPDIR, as the workbook's
# temporaries do, unlinked at once: one that cannot be written to fails
# the same way.
awk 'BEGIN { print "姓名,证件号码,手机号,检测结果,采样时间";
             for (i = 0; i < 40000; i++)
                 printf "访客%05d,E%08d,,阴性,2022-04-10 08:00,这一行让原始内容长一些以便临时文件增长得更快\n", i, i }' \
    >"$T/results.csv"
mkdir "$T/tmp"
export TMPDIR="$T/tmp"
(ulimit -f 4096; exec $RC merge -q -r fixtures/example/roster.csv "$T/results.csv" --format csv -o "$T/out.csv" \
    --unmatched "$T/unmatched.csv" --summary-json "$T/summary.json")
echo "size limit: exit $?"
ls "$T"
$RC merge -q -r fixtures/example/roster.csv "$T/results.csv" --format csv -o "$T/out.csv" \
    --unmatched "$T/unmatched.csv"
echo "no limit: exit $?"
wc -l <"$T/unmatched.csv"
ls -A "$T/tmp"
case "$RC" in
*valgrind*)
    # valgrind keeps files of its own in $TMPDIR and cannot start without
    # one: the run is not made, its expected lines are printed instead
    # shellcheck disable=SC2016 # $T is the runner's word for the case's directory
    echo 'rollcall: $T/nodir: cannot create the unmatched spool: No such file or directory' >&2
    echo "no TMPDIR: exit 3" ;;
*)
    TMPDIR="$T/nodir" $RC merge -q -r fixtures/example/roster.csv fixtures/example/results.csv --format csv \
        -o "$T/out.csv"
    echo "no TMPDIR: exit $?" ;;
esac
