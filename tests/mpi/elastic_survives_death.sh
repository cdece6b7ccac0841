#!/usr/bin/env bash
# elastic_survives_death.sh PARCAE DATA_DIR VICTIMS...: an elastic job of 1
# coordinator + 6 workers training 2 x 3 under `mpirun --enable-recovery`; the
# worker ranks VICTIMS are SIGKILLed together mid-run. The job must go on with
# the survivors, finish every step, exit 0, and every step's loss (the redone
# ones included) must equal the undisturbed lone process's within 1e-5
# relative. One victim leaves a live replica of its stage (the survivors
# migrate); both replicas of a stage leave a layer with no holder (rollback).
# The layout planner fills stages in rank order: stage s of 2 x 3 is ranks
# 2s+1 and 2s+2. The expected kind is checked from the timeline's "death" record.
set -euo pipefail
. "$(dirname "$0")/rank_pid.sh"
parcae=$1; data=$2; expect=$3; shift 3
victims=("$@")
work=$(mktemp -d); job=""
trap '[ -n "$job" ] && kill -KILL "$job" 2>/dev/null; rm -rf "$work"' EXIT
args=(train --model tiny --steps 40 --global-batch 12 --micro-batch 2 --lr 1e-3 --warmup 2
      --seed 7 --eval-batches 2 --log-every 100)
"$parcae" "${args[@]}" --metrics "$work/single.jsonl" 2>/dev/null
"${MPIRUN:-mpirun}" --enable-recovery -np 7 --oversubscribe "$parcae" "${args[@]}" \
  --metrics "$work/elastic.jsonl" --trace "$data/steady_six.csv" --interval-steps 2 \
  --profile "$data/two_by_three_profile.csv" \
  --policy parcae-oracle --look-ahead 1 --death-seconds 3 --stall-seconds 60 \
  --timeline "$work/timeline" >"$work/out" 2>&1 &
job=$!
pids=()
for victim in "${victims[@]}"; do
  pid=$(rank_pid "$job" "$victim")
  [ -n "$pid" ] || { echo "no process for rank $victim"; cat "$work/out"; exit 1; }
  pids+=("$pid")
done
wait_for_interval "$job" "$work/out" 6  # mid-run: a few intervals trained
kill -KILL "${pids[@]}"
start=$SECONDS
timeout "${PARCAE_HANG_S:-120}" tail --pid="$job" -f /dev/null || true
if kill -0 "$job" 2>/dev/null; then
  echo "still running 120 s after the kill"; cat "$work/out"
  if [ -n "${PARCAE_DEBUG_HANG:-}" ]; then
    for child in $(pgrep -P "$job"); do
      echo "== pid $child"; gdb -p "$child" -batch -ex "thread apply all bt 12" 2>/dev/null | grep -E "^#|Thread" | head -40
    done
  fi
  exit 1
fi
set +e
wait "$job"; rc=$?
set -e
job=""
echo "killed ranks ${victims[*]}: the job ended in $((SECONDS - start)) s with exit $rc"
grep -E "lost|interval +(6|7|8)/|elastic run" "$work/out" || true
[ "$rc" = 0 ] || { echo "expected exit 0"; cat "$work/out"; exit 1; }
grep -q '"event":"death"' "$work/timeline" || { echo "no death in the timeline"; exit 1; }
kind=$(grep '"event":"death"' "$work/timeline" | head -1 | grep -o '"type":"[a-z-]*"' | cut -d'"' -f4)
echo "recovered by: $kind"
grep '"event":"death"' "$work/timeline"
[ "$kind" = "$expect" ] || { echo "expected a $expect recovery, got $kind"; exit 1; }
/usr/bin/env python3 "$(dirname "$0")/losses_match.py" "$work/single.jsonl" "$work/elastic.jsonl" --every-step
