# parcae_job.sh: what jobs/*.sbatch share, sourced by them (not a job itself).
#
# parcae_job_run ARGS...: runs `mpirun -np 1+W parcae train ARGS` (one
# coordinator rank plus a worker per task of the allocation) in the
# background, forwards the signals the batch shell gets, waits for it and
# returns its exit code:
#   SIGUSR1 (Slurm's --signal=B:USR1@T: the time limit is near)
#       -> SIGUSR2 to mpirun: every rank checkpoints at the next step boundary
#          and exits 75, with no deadline (mpirun forwards USR2 untouched);
#   SIGTERM (scontrol requeue, scancel, a preempted node)
#       -> SIGTERM to mpirun: the same, but mpirun kills the ranks ~2 s later,
#          so the checkpoint may be left incomplete (and is then ignored).
# bash runs a trap only between commands: the script waits a second at a time
# (`sleep 1 & wait $!`, which a trapped signal interrupts) until mpirun is gone.
#
# The job's exit code is rank 0's, from `--exit-file` (the script adds it; a
# worker that saw rank 0 die writes 75 there when rank 0 wrote nothing, so a
# job whose coordinator died requeues). A file, because
# under `mpirun --enable-recovery` mpirun returns 0 whatever the ranks' codes
# (75 included), and after a spawn that failed (--join-hosts) it never returns
# although every rank has ended; then the script stops it once rank 0's file
# has been there for $PARCAE_EXIT_GRACE_S seconds (default 30). No file (a rank
# aborted the job, or mpirun was killed): mpirun's code, or 1 when that is 0.
#
# The program is $PARCAE (default: parcae on PATH); $MPIRUN (default mpirun);
# $PARCAE_MPIRUN_ARGS adds options to mpirun.

parcae_job_log() { echo "[$(date -u +%FT%TZ)] ${SLURM_JOB_ID:+job $SLURM_JOB_ID: }$*"; }

parcae_job_forward() {
  local from=$1 to=$2
  parcae_job_log "got SIG$from: sending SIG$to to mpirun (checkpoint at the next step, then exit 75)"
  [ -n "${parcae_job_pid:-}" ] && kill -"$to" "$parcae_job_pid" 2>/dev/null
}

parcae_job_run() {
  local workers=${SLURM_NTASKS:-1}
  local mpirun=${MPIRUN:-mpirun} parcae=${PARCAE:-parcae}
  trap 'parcae_job_forward USR1 USR2' USR1
  trap 'parcae_job_forward TERM TERM' TERM
  local exit_file grace=${PARCAE_EXIT_GRACE_S:-30} ended=0
  exit_file=$(mktemp -u "${TMPDIR:-/tmp}/parcae-exit-${SLURM_JOB_ID:-local}-XXXXXX")
  parcae_job_log "start (restart ${SLURM_RESTART_COUNT:-0}): $mpirun -np $((workers + 1)) $parcae $*"
  # shellcheck disable=SC2086  # PARCAE_MPIRUN_ARGS is a list of words
  "$mpirun" -np $((workers + 1)) --oversubscribe ${PARCAE_MPIRUN_ARGS:-} "$parcae" "$@" \
    --exit-file "$exit_file" &
  parcae_job_pid=$!
  local rc
  while kill -0 "$parcae_job_pid" 2>/dev/null; do
    sleep 1 & wait $! 2>/dev/null  # a trapped signal interrupts this wait, not mpirun's
    [ -s "$exit_file" ] || continue
    ended=$((ended + 1))
    if [ "$ended" -ge "$grace" ] && kill -0 "$parcae_job_pid" 2>/dev/null; then
      parcae_job_log "rank 0 ended the job with $(head -n 1 "$exit_file") ${grace} s ago and mpirun is still running: stopping it"
      kill -KILL "$parcae_job_pid" 2>/dev/null
    fi
  done
  wait "$parcae_job_pid" 2>/dev/null; rc=$?  # its own status, not a trap's 128+N
  parcae_job_pid=
  if [ -s "$exit_file" ]; then
    local said; said=$(head -n 1 "$exit_file")
    [ "$said" = "$rc" ] || parcae_job_log "mpirun returned $rc; rank 0 ended the job with $said"
    rc=$said
  elif [ "$rc" = 0 ]; then
    parcae_job_log "mpirun returned 0 but rank 0 wrote no exit code: the job did not end as it should"
    rc=1
  fi
  rm -f "$exit_file" "$exit_file".part*
  return "$rc"
}

# parcae_job_finish RC: exit code 75 means "checkpointed, requeue me": the job
# requeues itself (Slurm holds it ~2 minutes; `scontrol update jobid=N
# StartTime=now` skips the hold) and its next run resumes with --resume auto.
parcae_job_finish() {
  local rc=$1
  if [ "$rc" = 75 ] && [ -n "${SLURM_JOB_ID:-}" ]; then
    parcae_job_log "parcae checkpointed and asked to be requeued (exit 75): scontrol requeue $SLURM_JOB_ID"
    scontrol requeue "$SLURM_JOB_ID" || parcae_job_log "scontrol requeue failed (already requeued?)"
  else
    parcae_job_log "parcae exited $rc"
  fi
  exit "$rc"
}

# Whether the arguments hold option $1 (as `--x v` or `--x=v`).
parcae_job_has_option() {
  local want=$1 arg; shift
  for arg in "$@"; do
    case $arg in "$want" | "$want"=*) return 0 ;; esac
  done
  return 1
}
