#!/usr/bin/env bash
# overlap_matches_sync.sh PARCAE: an asynchronous checkpoint, whose copy of the
# state runs beside the next step, holds exactly what a --checkpoint-sync one
# holds, as a lone process and as a 2-stage pipeline under mpirun, and resumes
# to the synchronous run's losses bit for bit. The model is shaped to make a
# race lose: one block, one-token context and a 50k vocabulary, so the step
# after the checkpoint is short and its AdamW update reaches the embedding's
# moments while the copy of them (~300 MB) is still running; were the copy
# not waited for before the update, the first checkpoint would hold moments
# of the step after it (measured: 4 of 4 runs differed without the wait).
set -uo pipefail
parcae=$1; here=$(cd "$(dirname "$0")" && pwd)
. "$here/losses.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
args=(train --model gpt2-124m --seq 1 --layers 1 --channels 384 --heads 6 --global-batch 1
      --micro-batch 1 --steps 3 --eval-batches 1 --checkpoint-every 2 --keep-checkpoints 5)
mpi() { "${MPIRUN:-mpirun}" -np "$1" --oversubscribe "$parcae" "${@:2}"; }
run() {  # LABEL RANKS [options]
  local label=$1 ranks=$2; shift 2
  if [ "$ranks" = 1 ]; then
    "$parcae" "${args[@]}" --run "$label" --metrics "$label.jsonl" "$@" 2>"$label.err"
  else
    mpi "$ranks" "${args[@]}" --run "$label" --metrics "$label.jsonl" "$@" 2>"$label.err"
  fi || { echo "$label failed:"; cat "$label.err"; exit 1; }
}
# shards RUN STEP: the manifest's shard records (sizes, checksums of every dataset).
shards() {
  python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["shards"]))' \
    "checkpoints/$1/step-0000000$2/manifest.json"
}
run sync 1 --checkpoint-sync
run overlap 1
run overlap-1x2 3 --pp 2
bad=0
for label in overlap overlap-1x2; do
  for step in 2 3; do  # a periodic checkpoint (the next step overlaps it) and the end-of-run one
    [ "$(shards "$label" $step)" = "$(shards sync $step)" ] ||
      { echo "$label: checkpoint of step $step differs from the synchronous one"; bad=1; }
  done
done
grep -q "checkpoint checkpoints/overlap/step-00000002 .* training stalled" overlap.err ||
  { echo "overlap: no stall reported"; cat overlap.err; bad=1; }
run resumed 1 --resume checkpoints/overlap/step-00000002
same_losses sync.jsonl resumed.jsonl 0 "resumed from the overlapped checkpoint" || bad=1
exit $bad
