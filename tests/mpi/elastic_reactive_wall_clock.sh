#!/usr/bin/env bash
# elastic_reactive_wall_clock.sh PARCAE DATA: the reactive baseline in a
# wall-clock replay (--interval-seconds), 1 coordinator + 4 workers, the tiny
# model, the scripted four_dips.csv at 2 trace minutes per half-second interval
# (an event in each of intervals 1 to 4) and the scripted cost table. After a
# change through the store the interval trains on, one step per control
# message of the same epoch; those must not ask for the change's saves again
# (once they did: every later step re-saved, and the next change through the
# store, or the next periodic checkpoint, found a stray report and stopped the
# job). Passes when the run completes (at 120 steps or at the trace's end)
# with at least two changes through the store, and every step's loss equals
# the lone process's within 1e-5.
set -euo pipefail
parcae=$1; data=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
args=(train --model tiny --steps 120 --global-batch 8 --micro-batch 2 --lr 1e-3 --warmup 2
      --seed 3 --eval-batches 2 --log-every 1000)
"${MPIRUN:-mpirun}" -np 5 --oversubscribe "$parcae" "${args[@]}" --metrics "$work/elastic.jsonl" \
  --trace "$data/four_dips.csv" --trace-interval 120 --interval-seconds 0.5 --policy reactive \
  --profile "$data/every_kind_profile.csv" --checkpoint-dir "$work/ck" \
  --timeline "$work/timeline.jsonl" 2>"$work/stderr" || { tail -20 "$work/stderr"; exit 1; }
tail -4 "$work/stderr"
"$parcae" "${args[@]}" --metrics "$work/single.jsonl" 2>/dev/null
/usr/bin/env python3 - "$work/single.jsonl" "$work/elastic.jsonl" "$work/timeline.jsonl" <<'PY'
import json, sys
ref = {r["step"]: r["loss"] for r in map(json.loads, open(sys.argv[1])) if "loss" in r}
got = {r["step"]: r["loss"] for r in map(json.loads, open(sys.argv[2])) if "loss" in r}
timeline = [json.loads(line) for line in open(sys.argv[3])]
worst = max(abs(got[s] - ref[s]) / abs(ref[s]) for s in got)
store = [r for r in timeline if r["event"] == "checkpoint" and r.get("for") == "reconfiguration"]
print(f"{len(got)} steps, worst relative difference {worst:.2e}, {len(store)} changes through "
      f"the store")
complete = len(got) >= 20 and sorted(got) == list(range(len(got)))
sys.exit(0 if complete and worst <= 1e-5 and len(store) >= 2 else 1)
PY
