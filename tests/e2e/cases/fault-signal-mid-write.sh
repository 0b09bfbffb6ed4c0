# SIGTERM or SIGINT while a 1,000,000-row merge (300,000 residents, 700,000
# result rows) writes its output: the process dies of the signal, the
# previous output is intact and no temporary (.NAME.XXXXXX) is left. The
# signal is sent as soon as the temporary appears, that is while the output
# is being written; the temporary is mode 0600 (umask notwithstanding).
"$PYTHON" scripts/bench/gen-plain-city.py --residents 300000 --results 350000 --out "$T/city"
mkdir "$T/d"
"$PYTHON" - "$RC" "$T/city" "$T/d" <<'PY'
import os, shlex, signal, stat, subprocess, sys
rc, city, d = shlex.split(sys.argv[1]), sys.argv[2], sys.argv[3]
def default_signals():
    os.umask(0o022)
    for s in (signal.SIGINT, signal.SIGTERM):  # not ignored, even when the tests run under nohup
        signal.signal(s, signal.SIG_DFL)
def run(sig, out):
    target = os.path.join(d, out)
    with open(target, "w") as f:
        f.write("previous\n")
    p = subprocess.Popen(rc + ["merge", "-q", "--day", "2022-04-10", "-r", city + "/roster.csv",
                               city + "/results.csv", city + "/results.csv", "-o", target],
                         preexec_fn=default_signals)
    temp, mode = None, None
    while temp is None and p.poll() is None:
        temp = next((n for n in os.listdir(d) if n.startswith("." + out + ".")), None)
    if temp:
        try:
            mode = "%o" % stat.S_IMODE(os.stat(os.path.join(d, temp)).st_mode)
        except FileNotFoundError:
            pass
        p.send_signal(sig)
    return target, temp, mode, p.wait()
for sig, out in ((signal.SIGTERM, "out.csv"), (signal.SIGINT, "out.csv"), (signal.SIGTERM, "out.xlsx")):
    # The CSV takes 0.2 s to write: on a loaded machine this process may
    # wake too late, after the rename. Then the run is tried again.
    for attempt in range(5):
        target, temp, mode, code = run(sig, out)
        if code != 0:
            break
    print("%s -o %s: %s; temporary seen: %s, mode %s; target: %r; left: %s" % (
        signal.Signals(sig).name, out,
        "died of %s" % signal.Signals(-code).name if code < 0 else "exit %d" % code,
        "yes" if temp else "no", mode, open(target).read(), " ".join(sorted(os.listdir(d)))))
PY
