#!/usr/bin/env bash
# checkpoint_seconds.sh PARCAE: --checkpoint-seconds 1 under mpirun (1x2)
# checkpoints during a run of several seconds, not only at its end, and keeps
# the newest --keep-checkpoints 2; a synchronous run does the same.
set -uo pipefail
parcae=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
for mode in async sync; do
  extra=(); [ "$mode" = sync ] && extra=(--checkpoint-sync)
  start=$SECONDS
  "${MPIRUN:-mpirun}" -np 3 --oversubscribe "$parcae" train --model tiny --pp 2 --steps 40 \
    --global-batch 8 --micro-batch 2 --log-every 1000 --checkpoint-seconds 1 --keep-checkpoints 2 \
    --run "$mode" "${extra[@]}" 2>"$mode.err" || { cat "$mode.err"; exit 1; }
  took=$((SECONDS - start))
  written=$(grep -c "^checkpoint checkpoints/$mode/step-" "$mode.err")
  kept=$(ls -d checkpoints/$mode/step-* | wc -l)
  echo "$mode: $took s, $written checkpoints written, $kept kept"
  [ "$took" -lt 3 ] && { echo "(too fast to check the clock: $took s)"; continue; }
  [ "$written" -ge 2 ] || { echo "expected a checkpoint before the end"; cat "$mode.err"; exit 1; }
  [ "$kept" = 2 ] || { echo "expected 2 kept"; exit 1; }
  [ -f "checkpoints/$mode/step-00000040/manifest.json" ] || { echo "no checkpoint at the end"; exit 1; }
done
