#!/usr/bin/env bash
# elastic_matches_single.sh PARCAE DATA_DIR: the central test of the elastic
# loop. A scripted trace on 8 workers forces every kind of reconfiguration
# (start, intra-stage, grow, inter-stage, pipeline, rollback, from the seed
# and from a checkpoint); the tiny
# model's every step (the redone ones after the rollback included) must equal
# the undisturbed single process's within 1e-5 relative, because the global
# batch and data order never depend on D, P or a reconfiguration.
set -euo pipefail
parcae=$1; data=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
args=(train --model tiny --steps 40 --global-batch 8 --micro-batch 2 --lr 3e-3 --warmup 2
      --seed 7 --eval-batches 2 --log-every 100)
"$parcae" "${args[@]}" --metrics "$work/single.jsonl" 2>/dev/null
# run NAME ARGS...: the elastic job on the scripted trace, then its losses against the lone process.
run() {
  local name=$1; shift
  "${MPIRUN:-mpirun}" -np 9 --oversubscribe "$parcae" "${args[@]}" --metrics "$work/$name.jsonl" \
    --trace "$data/every_kind.csv" --profile "$data/every_kind_profile.csv" \
    --policy "${policy:-parcae-oracle}" --look-ahead 1 --interval-steps 4 --timeline "$work/$name.timeline" \
    "$@" 2>"$work/stderr" || { cat "$work/stderr"; exit 1; }
  tail -3 "$work/stderr"
  /usr/bin/env python3 "$(dirname "$0")/losses_match.py" "$work/single.jsonl" "$work/$name.jsonl" \
    --min-steps 20
}
kinds() { grep -o '"type":"[a-z-]*"' "$work/$1.timeline" | cut -d'"' -f4 | sort -u | tr '\n' ' '; }

# Without notice: a preempted rank's state is lost, and losing the only
# holder of a layer rolls back.
run lost
for kind in start intra-stage grow inter-stage pipeline rollback; do
  grep -q "\"type\":\"$kind\"" "$work/lost.timeline" || { echo "no $kind reconfiguration: $(kinds lost)"; exit 1; }
done
# With checkpoints every 6 steps the rollback goes back to the newest complete
# one (step 18, written by the 2 x 2 then in place) instead of the seed: only
# the 2 steps after it are redone, with the same losses.
redone=$(run checkpointed --checkpoint-dir "$work/ckpt" --checkpoint-every 6 | tee /dev/stderr)
grep -q '"type":"rollback"' "$work/checkpointed.timeline" || { echo "no rollback with checkpoints"; exit 1; }
grep -q "(2 redone after a rollback)" <<<"$redone" || { echo "expected 2 steps redone from the checkpoint of step 18"; exit 1; }
[ -f "$work/ckpt/default/step-00000018/manifest.json" ] || { echo "no complete checkpoint of step 18"; exit 1; }
"$parcae" ckpt verify "$work/ckpt/default" >/dev/null || { echo "ckpt verify failed on the elastic run's checkpoints"; exit 1; }
# With a notice the doomed ranks evacuate their shards first: no rollback.
run notice --notice-seconds 60
if grep -q '"type":"rollback"' "$work/notice.timeline"; then echo "rolled back despite the notice"; exit 1; fi
# Through the store (--migration hdf5): every change is a real checkpoint
# save and load instead of rank-to-rank transfers, with the same losses.
run store --migration hdf5 --checkpoint-dir "$work/store"
grep -q '"for":"reconfiguration"' "$work/store.timeline" || { echo "no change went through the store"; exit 1; }
"$parcae" ckpt verify "$work/store/default" >/dev/null || { echo "ckpt verify failed on the store's checkpoints"; exit 1; }
# The reactive baseline (Varuna's job morphing) goes the same way on its own decisions.
policy=reactive run reactive --checkpoint-dir "$work/reactive"
grep -q '"for":"reconfiguration"' "$work/reactive.timeline" || { echo "reactive changed nothing through the store"; exit 1; }
echo "kinds without notice: $(kinds lost); with notice: $(kinds notice); reactive: $(kinds reactive)"
