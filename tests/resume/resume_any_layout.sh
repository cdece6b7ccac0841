#!/usr/bin/env bash
# resume_any_layout.sh PARCAE: a checkpoint saved by 2x2 resumes as 1x4, 3x1,
# 1x1 (a lone process) and 2x2 on more workers (parked spares), and the next 10
# steps' losses equal the uninterrupted run's within 1e-6 relative, and
# bit for bit where D is unchanged (the same reduction order).
set -uo pipefail
parcae=$1; here=$(cd "$(dirname "$0")" && pwd)
. "$here/losses.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
args=(train --model tiny --steps 20 --global-batch 12 --micro-batch 2 --lr 3e-3 --warmup 2
      --seed 7 --log-every 100)
mpi() { "${MPIRUN:-mpirun}" -np "$1" --oversubscribe "$parcae" "${@:2}"; }
mpi 5 "${args[@]}" --dp 2 --pp 2 --checkpoint-every 10 --run full --metrics full.jsonl \
  2>full.err || { cat full.err; exit 1; }
saved=checkpoints/full/step-00000010
[ -f "$saved/manifest.json" ] || { echo "no checkpoint at step 10"; cat full.err; exit 1; }
bad=0
resume() {  # LABEL TOLERANCE RANKS [options]
  local label=$1 tol=$2 ranks=$3; shift 3
  if [ "$ranks" = 1 ]; then
    "$parcae" "${args[@]}" --resume "$saved" --run "$label" --metrics "$label.jsonl" "$@" 2>"$label.err"
  else
    mpi "$ranks" "${args[@]}" --resume "$saved" --run "$label" --metrics "$label.jsonl" "$@" 2>"$label.err"
  fi || { echo "$label failed:"; cat "$label.err"; bad=1; return; }
  grep -q "resuming from $saved (step 10 of 20)" "$label.err" || { echo "$label: not said"; bad=1; }
  same_losses full.jsonl "$label.jsonl" "$tol" "$label" || bad=1
}
resume 1x4 1e-6 5 --dp 1 --pp 4
resume 3x1 1e-6 4 --dp 3 --pp 1
resume 1x1 1e-6 1
resume 2x2-on-6-workers 0 7 --dp 2 --pp 2
resume 2x1 0 3 --dp 2 --pp 1
# Another model or seed: exit 2 naming what differs.
refuse() {  # REGEX ARGS...
  local regex=$1; shift
  "$parcae" "$@" --resume "$saved" --run refused 2>refused.err; local rc=$?
  [ "$rc" = 2 ] && grep -qE -- "$regex" refused.err ||
    { echo "resume with $* exited $rc:"; cat refused.err; bad=1; }
}
refuse "channels" "${args[@]}" --channels 32
other=("${args[@]}"); other[14]=8  # --seed 7 -> 8
refuse "--seed 8 differs from the checkpoint's 7" "${other[@]}"
exit $bad
