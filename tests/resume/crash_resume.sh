#!/usr/bin/env bash
# crash_resume.sh PARCAE: a worker SIGKILLed mid-run ends the job non-zero
# within seconds; a half-written checkpoint beside the complete ones and a
# flipped byte in the newest complete one are both passed over by
# --resume auto (the corrupt one with a warning; --resume on it is exit 2),
# which continues from the last intact checkpoint and reproduces the
# uninterrupted run's losses from there, bit for bit (the same 2x2 layout).
set -uo pipefail
parcae=$1; here=$(cd "$(dirname "$0")" && pwd)
. "$here/losses.sh"
work=$(mktemp -d); trap 'kill -KILL "${job:-0}" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; cat "$work"/*.err; exit 1; }
args=(train --model tiny --steps 60 --global-batch 8 --micro-batch 2 --lr 3e-3 --warmup 2
      --seed 3 --log-every 100 --dp 2 --pp 2 --checkpoint-every 5)
mpi() { "${MPIRUN:-mpirun}" -np 5 --oversubscribe "$parcae" "$@"; }
mpi "${args[@]}" --run full --metrics full.jsonl 2>full.err || fail "the uninterrupted run failed"

mpi "${args[@]}" --run crash 2>crash.err &
job=$!
for _ in $(seq 300); do [ -f checkpoints/crash/step-00000015/manifest.json ] && break; sleep 0.05; done
[ -f checkpoints/crash/step-00000015/manifest.json ] || fail "no checkpoint at step 15 within 15 s"
victim=$(for p in $(pgrep -f "$parcae train --model tiny --steps 60"); do
  tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx OMPI_COMM_WORLD_RANK=3 &&
    [ "$(cat "/proc/$p/comm")" = parcae ] && echo "$p"; done)
[ -n "$victim" ] || fail "rank 3 not found (the run ended before the kill?)"
kill -KILL "$victim"
timeout 20 tail --pid="$job" -f /dev/null || fail "the job still runs 20 s after a worker died"
wait "$job"; rc=$?
[ "$rc" != 0 ] || fail "the job ended 0 after a worker was killed"
echo "worker killed: the job ended with $rc"

newest=$(ls -d checkpoints/crash/step-* | while read -r d; do [ -f "$d/manifest.json" ] && echo "$d"; done | tail -n 1)
step=$((10#${newest##*step-}))
[ "$step" -lt 60 ] || fail "the run finished before the kill"
# A checkpoint killed half-way: a shard cut short, no manifest.
half=checkpoints/crash/step-$(printf %08d $((step + 5)))
mkdir -p "$half"; head -c 1000 "$newest/layer-0001.h5" >"$half/layer-0001.h5"
# A flipped byte in the middle of the newest complete checkpoint's largest shard.
shard=$(ls -S "$newest"/layer-*.h5 | head -n 1)
/usr/bin/python3 - "$shard" <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
data[len(data) // 2] ^= 0xFF
open(path, "wb").write(bytes(data))
PY
mpi "${args[@]}" --run crash --resume "$newest" 2>path.err; rc=$?
[ "$rc" = 2 ] || fail "--resume on the corrupt checkpoint exited $rc, not 2"
grep -q "corrupt checkpoint" path.err || fail "--resume on the corrupt checkpoint did not say so"

mpi "${args[@]}" --run crash --resume auto --metrics resumed.jsonl 2>auto.err ||
  fail "--resume auto failed"
previous=checkpoints/crash/step-$(printf %08d $((step - 5)))
grep -q "warning: skipping corrupt checkpoint $newest" auto.err || fail "no warning for $newest"
grep -q "resuming from $previous" auto.err || fail "did not resume from $previous"
same_losses full.jsonl resumed.jsonl 0 "resumed after the crash from step $((step - 5))"
