#!/usr/bin/env bash
# stall_names_rank.sh PARCAE VICTIM: a 1 x 3 pipeline on ranks 1..3 with a
# 3-second stall deadline; world rank VICTIM is SIGSTOPped mid-run. The job
# must fail (exit 1) within 30 s, naming that rank and no other, instead of
# waiting for it forever. Options after VICTIM replace the layout (--pp 3):
# `--elastic ...` checks the elastic coordinator the same way.
set -uo pipefail
. "$(dirname "$0")/rank_pid.sh"
parcae=$1; victim=$2; shift 2
layout=${*:-"--pp 3"}
out=$(mktemp); trap 'rm -f "$out"' EXIT
"${MPIRUN:-mpirun}" -np 4 --oversubscribe "$parcae" train --model tiny --steps 100000 \
  --global-batch 4 --micro-batch 2 $layout --log-every 100000 --stall-seconds 3 >"$out" 2>&1 &
job=$!
pid=$(rank_pid "$job" "$victim")
[ -n "$pid" ] || { echo "no process for rank $victim"; kill "$job"; exit 1; }
sleep 2  # into the training steps
kill -STOP "$pid"
start=$SECONDS
timeout 30 tail --pid="$job" -f /dev/null; waited=$((SECONDS - start))
kill -CONT "$pid" 2>/dev/null
if kill -0 "$job" 2>/dev/null; then echo "still running after 30 s"; kill -KILL "$job"; cat "$out"; exit 1; fi
wait "$job"; rc=$?
[ "$rc" = 1 ] || { echo "expected exit 1, got $rc"; cat "$out"; exit 1; }
grep -q "rank $victim made no progress" "$out" || { echo "rank $victim not named"; cat "$out"; exit 1; }
[ "$(grep -c "made no progress" "$out")" = 1 ] || { echo "more than one verdict"; cat "$out"; exit 1; }
echo "rank $victim stopped: the job failed in $waited s naming it"
