#!/usr/bin/python3
"""Draws a run's timeline: the simulator's CSV (parcae simulate --timeline) or the elastic
run's JSON Lines (parcae train --elastic --timeline), three panels sharing the time axis:

  top     available instances per interval, preemptions and allocations marked
  middle  chosen D (solid) and P (dashed) per interval for each policy, reconfigurations
          marked by kind
  bottom  cumulative committed samples per policy against the reference (ideal for the
          simulator, simulate's prediction for an elastic run), share of it in the legend

Needs only Python 3 and matplotlib (Debian: python3-matplotlib). Bad input exits 2 with the
file and the problem, so a caller can tell it from a missing matplotlib (exit 3).
"""
import argparse
import csv
import json
import os
import sys

EXIT_BAD_INPUT = 2
EXIT_NO_MATPLOTLIB = 3


class BadTimeline(Exception):
    pass


def read_csv_timeline(path, interval_seconds, segment=None):
    """The simulator's CSV: segment,interval,n,n_in,n_out then <policy>_dp,_pp,_samples.
    A CSV of several segments (simulate --segments) is drawn one segment at a time."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise BadTimeline("empty file")
    header = rows[0]
    for column in ("interval", "n", "n_in", "n_out"):
        if column not in header:
            raise BadTimeline("missing column '%s'" % column)
    policies = [h[: -len("_samples")] for h in header if h.endswith("_samples")]
    if not policies:
        raise BadTimeline("no <policy>_samples column")
    for p in policies:
        for suffix in ("_dp", "_pp"):
            if p + suffix not in header:
                raise BadTimeline("missing column '%s%s'" % (p, suffix))
    col = {name: i for i, name in enumerate(header)}
    body = rows[1:]
    if not body:
        raise BadTimeline("no intervals after the header")
    if "segment" in col:
        names = []
        for row in body:
            if row and row[col["segment"]] not in names:
                names.append(row[col["segment"]])
        chosen = segment if segment is not None else names[0]
        if chosen not in names:
            raise BadTimeline("no segment '%s' (it has %s)" % (chosen, ", ".join(names)))
        body = [row for row in body if row and row[col["segment"]] == chosen]
    t = {"hours": [], "instances": [], "preempted": [], "allocated": [],
         "policies": {p: {"dp": [], "pp": [], "samples": []} for p in policies},
         "reconfigurations": {p: [] for p in policies}}
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise BadTimeline("line %d: %d fields, the header has %d" % (line, len(row), len(header)))
        try:
            t["hours"].append(int(row[col["interval"]]) * interval_seconds / 3600.0)
            t["instances"].append(int(row[col["n"]]))
            t["allocated"].append(int(row[col["n_in"]]))
            t["preempted"].append(int(row[col["n_out"]]))
            for p in policies:
                s = t["policies"][p]
                s["dp"].append(int(row[col[p + "_dp"]]))
                s["pp"].append(int(row[col[p + "_pp"]]))
                s["samples"].append(float(row[col[p + "_samples"]]))
        except ValueError as e:
            raise BadTimeline("line %d: %s" % (line, e))
    # The CSV carries configurations only: a change of P re-partitions the pipeline, a change
    # of D alone moves replicas within stages.
    for p in policies:
        s = t["policies"][p]
        for i in range(1, len(s["dp"])):
            if s["pp"][i] != s["pp"][i - 1] and s["pp"][i] > 0 and s["pp"][i - 1] > 0:
                t["reconfigurations"][p].append((i, "pipeline"))
            elif (s["dp"][i], s["pp"][i]) != (s["dp"][i - 1], s["pp"][i - 1]):
                t["reconfigurations"][p].append((i, "intra-stage"))
    t["reference"] = ("ideal", t["policies"]["ideal"]["samples"]) if "ideal" in policies else None
    t["xlabel"] = "time since the window's start (hours)"
    t["title"] = "%s: %s" % (os.path.basename(path), body[0][col["segment"]] if "segment" in col else "")
    return t


def read_jsonl_timeline(path):
    """The elastic run's JSON Lines (docs/elastic.md): start, interval, reconfigure, summary."""
    records = []
    with open(path) as f:
        for line, text in enumerate(f, start=1):
            if not text.strip():
                continue
            try:
                records.append((line, json.loads(text)))
            except ValueError as e:
                raise BadTimeline("line %d: not JSON (%s)" % (line, e))
    if not records:
        raise BadTimeline("empty file")
    start = [r for _, r in records if r.get("event") == "start"]
    if not start:
        raise BadTimeline("no start record")
    start = start[0]
    # An interval is one minute of the trace (the cost model's interval); the run's own
    # wall-clock interval (interval_seconds) may be anything, so the axis is trace time.
    window = start.get("window", [-1, -1])
    offset = window[0] if window and window[0] >= 0 else 0.0
    seconds = 60.0
    policy = start.get("policy", "elastic")
    t = {"hours": [], "instances": [], "preempted": [], "allocated": [],
         "policies": {policy: {"dp": [], "pp": [], "samples": []}},
         "reconfigurations": {policy: []}}
    index_of = {}
    total = 0.0
    summary = None
    for line, r in records:
        event = r.get("event")
        try:
            if event == "interval":
                index_of[int(r["interval"])] = len(t["hours"])
                t["hours"].append(offset + int(r["interval"]) * seconds / 3600.0)
                t["instances"].append(int(r["instances"]))
                t["preempted"].append(int(r["events"]["preempted"]))
                t["allocated"].append(int(r["events"]["allocated"]))
                s = t["policies"][policy]
                s["dp"].append(int(r["dp"]))
                s["pp"].append(int(r["pp"]))
                total += float(r["samples"])
                s["samples"].append(total)
            elif event == "reconfigure":
                t["reconfigurations"][policy].append((int(r["interval"]), str(r["type"])))
            elif event == "summary":
                summary = r
        except (KeyError, TypeError, ValueError) as e:
            raise BadTimeline("line %d: %s record lacks or garbles %s" % (line, event, e))
    if not t["hours"]:
        raise BadTimeline("no interval records")
    t["reconfigurations"][policy] = [(index_of[i], kind) for i, kind in t["reconfigurations"][policy]
                                     if i in index_of]
    t["reference"] = None
    if summary is not None and float(summary.get("predicted_samples", 0)) > 0:
        predicted = float(summary["predicted_samples"])
        # The summary holds a total only: drawn as an even pace so its end meets the total.
        n = len(t["hours"])
        t["reference"] = ("simulate's prediction (%.0f, drawn at an even pace)" % predicted,
                          [predicted * (i + 1) / n for i in range(n)])
    t["xlabel"] = "trace time (hours; one interval is one trace minute)"
    where = "" if not window or window[0] < 0 else ", hours %g-%g" % (window[0], window[1])
    t["title"] = "elastic run of %s on %s workers (%s%s), policy %s" % (
        start.get("model", "?"), start.get("workers", "?"), os.path.basename(str(start.get("trace", "?"))),
        where, policy)
    return t


def read_timeline(path, interval_seconds, segment=None):
    if not os.path.isfile(path):
        raise BadTimeline("not a readable file")
    with open(path, "rb") as f:
        head = f.read(1 << 16).lstrip()
    if not head:
        raise BadTimeline("empty file")
    if head.startswith(b"{"):
        return read_jsonl_timeline(path)
    return read_csv_timeline(path, interval_seconds, segment)


KIND_MARKERS = {"start": "o", "intra-stage": "v", "grow": "^", "inter-stage": "D",
                "pipeline": "s", "rollback": "X"}


def draw(t, out, title, width, height, svg):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    dpi = 100
    fig, (top, mid, bottom) = plt.subplots(3, 1, sharex=True, figsize=(width / dpi, height / dpi),
                                           dpi=dpi, gridspec_kw={"height_ratios": [1, 1.3, 1.3]})
    hours = t["hours"]
    step = hours[1] - hours[0] if len(hours) > 1 else 1.0 / 60
    edges = hours + [hours[-1] + step]

    top.stairs(t["instances"], edges, baseline=None, color="black", linewidth=1.2, label="available instances")
    pre = [(h, n) for h, n, k in zip(hours, t["instances"], t["preempted"]) if k > 0]
    alloc = [(h, n) for h, n, k in zip(hours, t["instances"], t["allocated"]) if k > 0]
    if pre:
        top.scatter(*zip(*pre), marker="v", color="tab:red", s=18, zorder=3,
                    label="preemption (%d intervals)" % len(pre))
    if alloc:
        top.scatter(*zip(*alloc), marker="^", color="tab:green", s=18, zorder=3,
                    label="allocation (%d intervals)" % len(alloc))
    top.set_ylabel("instances")
    top.set_ylim(bottom=0)
    top.legend(loc="lower left", fontsize=9, ncol=3)
    top.grid(alpha=0.3)

    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    policies = list(t["policies"])
    color_of = {p: ("black" if p == "ideal" else colors[i % len(colors)]) for i, p in enumerate(policies)}
    kinds_seen = set()
    for p in policies:
        s = t["policies"][p]
        width_line = 0.8 if p == "ideal" else 1.3
        mid.stairs(s["dp"], edges, baseline=None, color=color_of[p], linewidth=width_line, label="%s D" % p)
        mid.stairs(s["pp"], edges, baseline=None, color=color_of[p], linewidth=width_line, linestyle="--",
                   label="%s P" % p)
        for kind in sorted({k for _, k in t["reconfigurations"][p]}):
            xs = [hours[i] for i, k in t["reconfigurations"][p] if k == kind]
            ys = [s["dp"][i] for i, k in t["reconfigurations"][p] if k == kind]
            mid.scatter(xs, ys, marker=KIND_MARKERS.get(kind, "*"), s=22, color=color_of[p],
                        edgecolors="black", linewidths=0.4, zorder=3)
            kinds_seen.add(kind)
    handles, labels = mid.get_legend_handles_labels()
    for kind in sorted(kinds_seen):
        handles.append(mid.scatter([], [], marker=KIND_MARKERS.get(kind, "*"), color="white",
                                   edgecolors="black"))
        labels.append("reconfiguration: %s" % kind)
    mid.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8)
    mid.set_ylabel("D (solid), P (dashed)")
    mid.set_ylim(bottom=0)
    mid.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    mid.grid(alpha=0.3)

    reference = t["reference"]
    for p in policies:
        s = t["policies"][p]
        if reference is not None and reference[0] == p:
            continue
        label = p
        if reference is not None and reference[1][-1] > 0:
            label += " (%.1f%% of %s)" % (100.0 * s["samples"][-1] / reference[1][-1],
                                          reference[0].split(" (")[0])
        bottom.plot(hours, s["samples"], color=color_of[p], linewidth=1.5, label=label)
    if reference is not None:
        bottom.plot(hours, reference[1], color="black", linestyle=":", linewidth=1.5,
                    label=reference[0])
    bottom.set_ylabel("committed samples (cumulative)")
    bottom.set_xlabel(t["xlabel"])
    bottom.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=9)
    bottom.grid(alpha=0.3)
    bottom.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))

    fig.suptitle(title or t["title"], fontsize=13)
    fig.tight_layout()
    fig.savefig(out, format="svg" if svg else "png", dpi=dpi)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("timeline", help="simulate's --timeline CSV or the elastic run's JSON Lines")
    parser.add_argument("--out", required=True, help="image to write (PNG unless --svg)")
    parser.add_argument("--svg", action="store_true", help="write SVG instead of PNG")
    parser.add_argument("--title", help="title (default: names the file or the run's trace)")
    parser.add_argument("--width", type=int, default=1600, help="pixels (default 1600)")
    parser.add_argument("--height", type=int, default=1000, help="pixels (default 1000)")
    parser.add_argument("--interval-seconds", type=float, default=60.0,
                        help="a CSV interval's length (default 60, the cost model's)")
    parser.add_argument("--segment", help="the CSV's segment to draw (default: its first)")
    args = parser.parse_args()
    try:
        t = read_timeline(args.timeline, args.interval_seconds, args.segment)
    except (BadTimeline, OSError, UnicodeDecodeError) as e:
        print("plot_timeline: %s: %s" % (args.timeline, e), file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("plot_timeline: matplotlib is missing (Debian: apt-get install python3-matplotlib)",
              file=sys.stderr)
        return EXIT_NO_MATPLOTLIB
    tmp = args.out + ".tmp"
    draw(t, tmp, args.title, args.width, args.height, args.svg)
    os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
