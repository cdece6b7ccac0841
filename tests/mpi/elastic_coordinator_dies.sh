#!/usr/bin/env bash
# elastic_coordinator_dies.sh PARCAE DATA_DIR kill|stop: an elastic job of 1
# coordinator + 6 workers (2 x 3) under `mpirun --enable-recovery` with
# --exit-file; rank 0 is SIGKILLed (kill) or SIGSTOPped (stop) mid-run.
# Nothing can go on without it, so every worker must leave "requeue me"
# (exit 75) within a bound, never hang, and the exit file must say 75, so a
# Slurm job requeues instead of failing:
#   kill: each worker sees its liveness connection to rank 0 close
#         (runtime/liveness.hpp), within a few seconds;
#   stop: the connection stays open (rank 0's kernel lives), so the fallback
#         acts: rank 0's silence past --stall-seconds 4 plus the recovery
#         deadline (10 s).
set -euo pipefail
. "$(dirname "$0")/rank_pid.sh"
parcae=$1; data=$2; how=$3
case $how in
  kill) bound=10; said="is gone: its liveness connection closed" ;;
  stop) bound=30; said="sent nothing for 14 s" ;;
  *) echo "kill or stop, not $how"; exit 2 ;;
esac
work=$(mktemp -d); job=""; coordinator=""
trap '[ -n "$coordinator" ] && kill -KILL "$coordinator" 2>/dev/null
      [ -n "$job" ] && kill -KILL "$job" 2>/dev/null; rm -rf "$work"' EXIT
"${MPIRUN:-mpirun}" --enable-recovery -np 7 --oversubscribe "$parcae" train --model tiny \
  --steps 400 --global-batch 12 --micro-batch 2 --lr 1e-3 --seed 7 --log-every 100 \
  --trace "$data/steady_six.csv" --interval-steps 2 --profile "$data/two_by_three_profile.csv" \
  --policy parcae-oracle --look-ahead 1 --death-seconds 1 --stall-seconds 4 \
  --exit-file "$work/exit" >"$work/out" 2>&1 &
job=$!
coordinator=$(rank_pid "$job" 0)
[ -n "$coordinator" ] || { echo "no process for rank 0"; cat "$work/out"; exit 1; }
workers=()
for rank in 1 2 3 4 5 6; do
  pid=$(rank_pid "$job" "$rank")
  [ -n "$pid" ] || { echo "no process for rank $rank"; cat "$work/out"; exit 1; }
  workers+=("$pid")
done
wait_for_interval "$job" "$work/out" 4
kill "-$([ "$how" = kill ] && echo KILL || echo STOP)" "$coordinator"
start=$SECONDS
for _ in $(seq $((bound * 10))); do
  alive=0
  for pid in "${workers[@]}"; do kill -0 "$pid" 2>/dev/null && alive=$((alive + 1)); done
  [ "$alive" = 0 ] && break
  sleep 0.1
done
took=$((SECONDS - start))
if [ "$alive" != 0 ]; then
  echo "$alive of 6 workers still running $bound s after rank 0 was sent SIG${how^^}"
  cat "$work/out"; exit 1
fi
echo "rank 0 sent SIG${how^^}: every worker gone in ${took} s (bound $bound s)"
kill -KILL "$coordinator" 2>/dev/null || true  # a stopped one
coordinator=""
timeout 30 tail --pid="$job" -f /dev/null || { echo "mpirun still running 30 s after its ranks"; exit 1; }
set +e; wait "$job"; rc=$?; set -e; job=""
echo "mpirun exited $rc"
# Each worker's line (lines of several ranks may interleave).
told=$(grep -oE "rank [1-6]: rank 0 \(the coordinator\) $said" "$work/out" | sort -u | wc -l)
[ "$told" = 6 ] || { echo "expected 6 workers to say rank 0 $said, $told did"; cat "$work/out"; exit 1; }
[ "$(grep -o 'exiting 75' "$work/out" | wc -l)" -ge 1 ] || { echo "nobody exited 75"; exit 1; }
[ -s "$work/exit" ] || { echo "no exit file"; cat "$work/out"; exit 1; }
[ "$(cat "$work/exit")" = 75 ] || { echo "exit file says $(cat "$work/exit"), not 75"; exit 1; }
echo "exit file: $(cat "$work/exit")"
