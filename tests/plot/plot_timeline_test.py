#!/usr/bin/python3
"""tools/plot_timeline.py: both timeline kinds render to a PNG of the asked size; a malformed
timeline (missing column, empty file, garbled record) exits 2 naming the file and the problem.
Usage: plot_timeline_test.py PLOT_SCRIPT [SIMULATE_CSV] (a real simulate --timeline, optional)."""
import os
import struct
import subprocess
import sys
import tempfile

script = sys.argv[1]
failures = []


def run(*args):
    p = subprocess.run(["/usr/bin/python3", script] + list(args), capture_output=True, text=True)
    return p.returncode, p.stderr


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def expect_png(timeline, width, height):
    out = timeline + ".png"
    rc, err = run(timeline, "--out", out, "--width", str(width), "--height", str(height))
    if rc != 0:
        failures.append("%s: exit %d: %s" % (timeline, rc, err))
        return
    size = png_size(out)
    if size != (width, height):
        failures.append("%s: PNG size %s, asked %dx%d" % (timeline, size, width, height))
    if os.path.exists(out + ".tmp"):
        failures.append("%s: temporary left behind" % timeline)


def expect_bad(timeline, problem):
    rc, err = run(timeline, "--out", timeline + ".png")
    if rc != 2 or timeline not in err or problem not in err:
        failures.append("%s: want exit 2 naming the file and '%s', got %d: %s"
                        % (timeline, problem, rc, err))
    if os.path.exists(timeline + ".png"):
        failures.append("%s: an image was written for a bad timeline" % timeline)


with tempfile.TemporaryDirectory() as d:
    def write(name, text):
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    header = "segment,interval,n,n_in,n_out,ideal_dp,ideal_pp,ideal_samples,parcae_dp,parcae_pp,parcae_samples\n"
    rows = "".join("full,%d,%d,%d,%d,2,%d,%d,%d,2,%d\n" % (i, 8 - i % 3, i % 2, (i + 1) % 2,
                                                            2 + i % 2, 100 * i, 2 - i % 2, 80 * i)
                   for i in range(30))
    expect_png(write("sim.csv", header + rows), 1600, 1000)
    expect_png(write("small.csv", header + rows), 800, 500)
    start = ('{"event":"start","policy":"parcae","trace":"t.csv","window":[1,2],"workers":4,'
             '"interval_steps":1,"interval_seconds":0,"model":"tiny","global_batch":8}\n')
    intervals = "".join('{"event":"interval","interval":%d,"instances":%d,"events":{"preempted":%d,'
                        '"allocated":0},"dp":%d,"pp":2,"samples":8}\n'
                        % (i, 4 - i // 5, 1 if i % 5 == 0 and i else 0, 2 - i // 5) for i in range(10))
    reconf = '{"event":"reconfigure","interval":5,"type":"intra-stage","dp":1,"pp":2}\n'
    summary = '{"event":"summary","committed_samples":80,"predicted_samples":70}\n'
    expect_png(write("run.jsonl", start + intervals + reconf + summary), 1600, 1000)

    expect_bad(write("empty.csv", ""), "empty file")
    expect_bad(write("nocol.csv", header.replace(",n_out", "") + "full,0,8,0,2,2,0,2,2,0\n"),
               "missing column 'n_out'")
    expect_bad(write("short.csv", header + "full,0,8\n"), "line 2")
    expect_bad(write("nointervals.jsonl", start + summary), "no interval records")
    expect_bad(write("garbled.jsonl", start + '{"event":"interval","interval":0}\n'), "line 2")
    expect_bad(os.path.join(d, "absent.csv"), "not a readable file")

    if len(sys.argv) > 2:
        expect_png(sys.argv[2], 1600, 1000)

for f in failures:
    print("FAIL", f)
print("plot_timeline: %d failures" % len(failures))
sys.exit(1 if failures else 0)
