#!/usr/bin/env bash
# train_sbatch_requeues.sh JOBS_DIR PARCAE: jobs/train.sbatch trains the tiny
# model on a real one-node Slurm (2 workers + the coordinator), is requeued
# mid-run (`scontrol requeue`: every process gets SIGTERM, the ranks agree on
# a step and checkpoint it), released from the requeue hold
# (slurm_release_requeued), and its second run resumes from the newest checkpoint and
# ends with the uninterrupted run's final loss, bit for bit (same layout).
set -uo pipefail
jobs=$(cd "$1" && pwd); parcae=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/slurm_cluster.sh"
slurm_cluster_available || exit 0
work=$(mktemp -d)
slurm_cluster_start "$work" || exit 1
trap 'slurm_cluster_stop; rm -rf "$work"' EXIT
cd "$work"
args=(--model tiny --dp 2 --steps 80 --global-batch 8 --micro-batch 2 --lr 3e-3 --warmup 2
      --seed 11 --log-every 10 --checkpoint-every 5)
fail() { echo "FAIL: $*"; cat "$work"/parcae-train-*.log 2>/dev/null; exit 1; }
"${MPIRUN:-mpirun}" -np 3 --oversubscribe "$parcae" train "${args[@]}" --run reference \
  --metrics reference.jsonl 2>reference.err || { cat reference.err; fail "the uninterrupted run failed"; }

export PARCAE=$parcae
job=$(sbatch --parsable -n 2 --overcommit "$jobs/train.sbatch" "${args[@]}" --run slurm \
  --metrics slurm.jsonl) || fail "sbatch refused the job"
for _ in $(seq 600); do [ -f checkpoints/slurm/step-00000010/manifest.json ] && break; sleep 0.05; done
[ -f checkpoints/slurm/step-00000010/manifest.json ] || fail "no checkpoint at step 10 within 30 s"
scontrol requeue "$job" || fail "scontrol requeue refused"
for _ in $(seq 300); do [ "$(slurm_job_field "$job" Restarts)" = 1 ] && break; sleep 0.1; done
[ "$(slurm_job_field "$job" Restarts)" = 1 ] || fail "not requeued"
slurm_release_requeued "$job" 60 || fail "the requeued job never ran again"
slurm_wait_job "$job" COMPLETED 120 || fail "the second run did not complete"
log=$work/parcae-train-$job.log
grep -q "start (restart 1)" "$log" || fail "no second run in the log"
resumed=$(sed -n 's|.*resuming from \(checkpoints/slurm/step-[0-9]*\).*|\1|p' "$log" | tail -n 1)
[ -n "$resumed" ] || fail "the second run did not resume"
last() { grep -o '"loss": [^,}]*' "$1" | tail -n 1 | cut -d' ' -f2; }
[ "$(last slurm.jsonl)" = "$(last reference.jsonl)" ] ||
  fail "final loss $(last slurm.jsonl), uninterrupted $(last reference.jsonl)"
echo "requeued job $job resumed from $resumed and ended with the uninterrupted final loss $(last slurm.jsonl)"
