#!/usr/bin/env bash
# signals_under_mpirun.sh PARCAE: (on an elastic run, which keeps the plain
# stop; tests/resume checks the fixed-layout run's checkpoint requests)
# SIGUSR1 to mpirun reaches every rank and is
# noted once, and training goes on; SIGTERM ends the job with one message that
# says what stopped it, exit 1, and no temporary left beside the metrics file.
set -uo pipefail
parcae=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"${MPIRUN:-mpirun}" -np 3 --oversubscribe "$parcae" train --model tiny --steps 100000 --elastic \
  --synthetic-preempt-hazard 0 --synthetic-alloc-rate 0 --interval-steps 1000 \
  --global-batch 4 --micro-batch 2 --log-every 100000 --metrics "$work/m.jsonl" >"$work/out" 2>&1 &
job=$!
sleep 3
kill -USR1 "$job"; sleep 1
kill -0 "$job" || { echo "SIGUSR1 ended the job"; cat "$work/out"; exit 1; }
[ "$(grep -c "SIGUSR1 received" "$work/out")" = 1 ] || { echo "SIGUSR1 not noted once"; cat "$work/out"; exit 1; }
kill -TERM "$job"
timeout 20 tail --pid="$job" -f /dev/null
wait "$job"; rc=$?
[ "$rc" = 1 ] || { echo "expected exit 1 after SIGTERM, got $rc"; cat "$work/out"; exit 1; }
[ "$(grep -c "stopped by SIGTERM" "$work/out")" = 1 ] || { echo "SIGTERM not said once"; cat "$work/out"; exit 1; }
leftovers=$(ls -A "$work" | grep -v '^out$' || true)
[ -z "$leftovers" ] || { echo "left behind: $leftovers"; exit 1; }
echo "SIGUSR1 noted, SIGTERM reported, nothing left behind"
