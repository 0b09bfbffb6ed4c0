# README runs as written (issue 19 item 1): every fenced block of README.md
# whose first line is "$ rollcall ..." is run exactly as printed, by the
# name `rollcall` on PATH (as after make install, or PATH=$PWD/build:$PATH),
# standard error and output together as a terminal shows them, and its
# output compared with the rest of the block.
mkdir "$T/bin"
printf '#!/bin/sh\nexec %s "$@"\n' "$RC" >"$T/bin/rollcall"
chmod +x "$T/bin/rollcall"
awk -v dir="$T" '
    /^```/ {
        if (inblock) { inblock = 0; if (keep) close(out); keep = 0 }
        else { inblock = 1; first = 1 }
        next
    }
    inblock && first {
        first = 0
        if (substr($0, 1, 11) == "$ rollcall ") {
            n++; keep = 1
            cmd = sprintf("%s/ex%02d.cmd", dir, n); out = sprintf("%s/ex%02d.want", dir, n)
            print substr($0, 3) > cmd; close(cmd)
            printf "" > out
            next
        }
    }
    inblock && keep { print > out }
' README.md
n=0
for c in "$T"/ex*.cmd; do
    [ -e "$c" ] || { echo "no \$ rollcall block in README.md"; exit 1; }
    n=$((n + 1))
    want=${c%.cmd}.want
    PATH="$T/bin:$PATH" sh -c "$(cat "$c")" >"$T/got" 2>&1 </dev/null
    code=$?
    if cmp -s "$T/got" "$want"; then
        echo "as printed ($(wc -l <"$want") lines, exit $code): $(cat "$c")"
    else
        echo "differs from README.md (exit $code): $(cat "$c")"
        diff -u "$want" "$T/got" | sed "s|$T|\$T|g"
    fi
done
