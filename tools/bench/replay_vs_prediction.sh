#!/usr/bin/env bash
# replay_vs_prediction.sh PARCAE TRACE [RUNS=3] [INTERVAL_SECONDS=1]: issue 12's
# wall-clock measure (a benchmark, not CI). The same elastic job (tiny model,
# 1 coordinator + 4 workers, hour 5.5 to 6.5 of TRACE, scaled onto the
# workers, checkpoints every 10 steps) replays with --interval-seconds under
# --policy parcae and --policy reactive, alternately RUNS times each so that
# both see the same machine. Per run: committed samples, the simulator's
# prediction with the cost model the job measured at start, the job's speed
# against that model (observed_speed), and the prediction at that speed. Then
# the medians per policy. NICE=-15 (as root) gives the job priority over other
# work on a shared machine.
set -uo pipefail
parcae=$1; trace=$2; runs=${3:-3}; interval=${4:-1}
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_mpi_yield_when_idle=1 OMP_NUM_THREADS=1
[ "$(id -u)" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d)  # KEEP=1: leave the outputs in $work
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
results=$work/results.txt
for ((i = 1; i <= runs; ++i)); do
  for policy in parcae reactive; do
    dir=$work/$policy-$i; mkdir -p "$dir"
    nice -n "${NICE:-0}" timeout 900 mpirun -np 5 "$parcae" train --model tiny --elastic \
      --steps 1000000 --trace "$trace" --start-hour 5.5 --end-hour 6.5 \
      --interval-seconds "$interval" --policy "$policy" --checkpoint-dir "$dir/ck" \
      --checkpoint-every 10 --timeline "$dir/timeline.jsonl" >"$dir/out" 2>&1 ||
      { echo "run $policy $i failed:"; tail -5 "$dir/out"; exit 1; }
    python3 - "$policy" "$i" "$dir/timeline.jsonl" "$(cut -d' ' -f1 /proc/loadavg)" >>"$results" <<'PY'
import json, sys
policy, i, path, load = sys.argv[1:]
s = [json.loads(l) for l in open(path) if '"summary"' in l][-1]
c, p, v, q = (s["committed_samples"], s["predicted_samples"], s["observed_speed"],
              s["predicted_at_observed_speed"])
print(f"{policy} {i} {c} {p:.0f} {c / p:.3f} {v:.3f} {q:.0f} {c / q:.3f} {load}")
PY
    tail -1 "$results"
  done
done
echo "policy run committed predicted ratio observed_speed predicted_at_speed ratio_at_speed load1"
python3 - "$results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
for policy in ("parcae", "reactive"):
    r = [x for x in rows if x[0] == policy]
    med = lambda k: statistics.median(float(x[k]) for x in r)
    print(f"median {policy}: committed {med(2):.0f}, committed / predicted {med(4):.3f}, "
          f"observed speed {med(5):.3f}, committed / predicted at that speed {med(7):.3f}")
p = [float(x[2]) for x in rows if x[0] == "parcae"]
q = [float(x[2]) for x in rows if x[0] == "reactive"]
wins = sum(a > b for a, b in zip(p, q))
print(f"parcae committed more than reactive in {wins} of {len(p)} paired runs "
      f"(median ratio {statistics.median(a / b for a, b in zip(p, q)):.3f})")
PY
