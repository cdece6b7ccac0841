#!/usr/bin/env bash
# death_ends_plain_job.sh PARCAE ARGS...: a training job under plain mpirun
# (no --enable-recovery), 1 coordinator + 6 workers; world rank 2 is SIGKILLed
# mid-run. The job must end non-zero within 30 s, never hang: without
# recovery, Open MPI ends every rank when one dies.
set -uo pipefail
. "$(dirname "$0")/rank_pid.sh"
parcae=$1; shift
out=$(mktemp); trap 'rm -f "$out"' EXIT
"${MPIRUN:-mpirun}" -np 7 --oversubscribe "$parcae" train --model tiny --steps 100000 \
  --global-batch 12 --micro-batch 2 --log-every 100000 "$@" >"$out" 2>&1 &
job=$!
pid=$(rank_pid "$job" 2)
[ -n "$pid" ] || { echo "no process for rank 2"; kill "$job"; exit 1; }
sleep 3  # into the training steps
kill -KILL "$pid"
start=$SECONDS
timeout 30 tail --pid="$job" -f /dev/null; waited=$((SECONDS - start))
if kill -0 "$job" 2>/dev/null; then echo "still running 30 s after the kill"; kill -KILL "$job"; cat "$out"; exit 1; fi
wait "$job"; rc=$?
[ "$rc" != 0 ] || { echo "exit 0 after a rank died"; cat "$out"; exit 1; }
echo "rank 2 killed: the job ended in $waited s with exit $rc"
