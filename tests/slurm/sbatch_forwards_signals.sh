#!/usr/bin/env bash
# sbatch_forwards_signals.sh JOBS_DIR: jobs/train.sbatch on a real one-node
# Slurm, with a stand-in for parcae: it starts 1 + W ranks with --resume auto,
# turns the time-limit notice (USR1 to the batch shell) into USR2 for mpirun,
# requeues itself when the ranks exit 75, and the rerun sees SLURM_RESTART_COUNT=1.
# MPIRUN_ARGS...: options for mpirun (--enable-recovery: mpirun returns 0 although
# every rank exits 75, and the job must requeue from rank 0's --exit-file).
set -uo pipefail
jobs=$(cd "$1" && pwd); here=$(cd "$(dirname "$0")" && pwd); shift
export PARCAE_MPIRUN_ARGS="$*"
. "$here/slurm_cluster.sh"
slurm_cluster_available || exit 0
work=$(mktemp -d)
slurm_cluster_start "$work" || exit 1
trap 'slurm_cluster_stop; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work"
export PARCAE=$here/stand_in_parcae.sh
job=$(sbatch --parsable -n 3 --overcommit "$jobs/train.sbatch" --model tiny) || exit 1
log=$work/parcae-train-$job.log
fail() { echo "FAIL: $*"; cat "$log"; exit 1; }
slurm_wait_job "$job" RUNNING 30 || fail "never ran"
for _ in $(seq 100); do [ "$(grep -c '^rank' "$log" 2>/dev/null)" = 4 ] && break; sleep 0.1; done
grep -q "rank 0: train --model tiny --resume auto (restart 0)" "$log" || fail "not started with --resume auto"
[ "$(grep -c '^rank' "$log")" = 4 ] || fail "expected 4 ranks (1 coordinator + 3 workers)"
scancel --batch --signal=USR1 "$job"  # what --signal=B:USR1@120 sends
for _ in $(seq 100); do [ "$(slurm_job_field "$job" Restarts)" = 1 ] && break; sleep 0.1; done
[ "$(slurm_job_field "$job" Restarts)" = 1 ] || fail "not requeued after exit 75"
[ "$(grep -c ': SIGUSR2' "$log")" = 4 ] || fail "USR2 did not reach every rank"
slurm_release_requeued "$job" 30 || fail "the requeued job never ran again"
for _ in $(seq 100); do grep -q "rank 0: .*(restart 1)" "$log" && break; sleep 0.1; done
grep -q "rank 0: train --model tiny --resume auto (restart 1)" "$log" || fail "the rerun did not resume"
scancel "$job"
echo "train.sbatch: 4 ranks, USR1 -> USR2 -> exit 75 -> requeued -> rerun with --resume auto"
