#!/usr/bin/env bash
# elastic_replays_trace.sh PARCAE TRACE: replays the paper's hh segment of the
# published trace (high availability, high preemption) on 8 workers, one step
# per interval, with the parcae policy and the cost model measured on the job.
# Passes when the run completes, every interval that preempted an active rank
# reconfigured, and every step's loss equals the undisturbed single process's
# within 1e-5 relative.
set -euo pipefail
parcae=$1; trace=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# lr 1e-3: at 3e-3 the tiny model is chaotic enough that reduction order alone
# (a fixed 3x1 layout, no reconfiguration) drifts to 9.5e-6 relative by step
# 42; at 1e-3 fixed layouts stay within 2e-8 over the 60 steps.
args=(train --model tiny --steps 60 --global-batch 8 --micro-batch 2 --lr 1e-3 --warmup 2
      --seed 3 --eval-batches 2 --log-every 100)
"$parcae" "${args[@]}" --metrics "$work/single.jsonl" 2>/dev/null
"${MPIRUN:-mpirun}" -np 9 --oversubscribe "$parcae" "${args[@]}" --metrics "$work/elastic.jsonl" \
  --trace "$trace" --start-hour 5.5 --end-hour 6.5 --interval-steps 1 \
  --timeline "$work/timeline.jsonl" 2>"$work/stderr" || { cat "$work/stderr"; exit 1; }
tail -4 "$work/stderr"
/usr/bin/env python3 - "$work/single.jsonl" "$work/elastic.jsonl" "$work/timeline.jsonl" <<'PY'
import json, sys
ref = {r["step"]: r["loss"] for r in map(json.loads, open(sys.argv[1])) if "loss" in r}
got = [r for r in map(json.loads, open(sys.argv[2])) if "loss" in r]
timeline = [json.loads(line) for line in open(sys.argv[3])]
worst = max(abs(r["loss"] - ref[r["step"]]) / abs(ref[r["step"]]) for r in got)
intervals = [r for r in timeline if r["event"] == "interval"]
changed = {r["interval"] for r in timeline if r["event"] == "reconfigure"}
active, missed, hits, with_events = set(), [], 0, 0
for r in intervals:
    with_events += bool(r["preempted"] or r["allocated"])
    if active & set(r["preempted"]):
        hits += 1
        if r["interval"] not in changed:
            missed.append(r["interval"])
    active = set(r["active"])
print(f"{len(intervals)} intervals, {with_events} with events, {hits} preempted an active rank, "
      f"{len(changed)} reconfigurations; {len(got)} steps, worst relative difference {worst:.2e}")
ok = len(intervals) == 60 and worst <= 1e-5 and not missed and hits > 0 and len(changed) > 2
if missed:
    print("no reconfiguration after losing an active rank in intervals", missed)
sys.exit(0 if ok else 1)
PY
