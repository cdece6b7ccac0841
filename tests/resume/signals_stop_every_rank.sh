#!/usr/bin/env bash
# signals_stop_every_rank.sh PARCAE: a stop request ends the same step on every
# rank, whoever got the signal, and every rank exits 75 ("requeue me"):
#   SIGTERM to one middle worker of a 2x2 job with a parked spare;
#   SIGTERM to mpirun (it forwards TERM to every rank, and kills them ~2 s later:
#   mpirun's own code is then 1, the ranks' unseen);
#   SIGUSR2 to mpirun (forwarded as it is: no deadline);
#   SIGUSR1 to mpirun: the job checkpoints and trains on.
# Each stop leaves a complete checkpoint of the step it stopped after (but
# mpirun's SIGTERM may cut that one short: then it is incomplete, never half-valid).
set -uo pipefail
parcae=$1; here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'kill -KILL "${job:-0}" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; cat "$work/out"; exit 1; }

start() {  # 1 coordinator + 4 workers (2x2) + 1 parked
  rm -rf "$work"/rc.* "$work/out" "$work/ck"
  "${MPIRUN:-mpirun}" -np 6 --oversubscribe "$here/rank_exit_code.sh" "$work" "$parcae" train \
    --model tiny --dp 2 --pp 2 --steps 100000 --global-batch 4 --micro-batch 2 \
    --log-every 100000 --checkpoint-dir "$work/ck" >"$work/out" 2>&1 &
  job=$!
  for _ in $(seq 200); do grep -q "step     1/" "$work/out" 2>/dev/null && return; sleep 0.1; done
  fail "no first step within 20 s"
}
rank_pid() {  # the pid of parcae's rank $1
  local p
  for p in $(pgrep -f "$parcae train --model tiny --dp 2 --pp 2"); do
    tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$1" &&
      [ "$(cat "/proc/$p/comm")" = parcae ] && echo "$p"
  done
}
# mpirun ends within 20 s with $1, and so does every rank it let finish (once
# one rank exited non-zero, mpirun kills the others, past MPI_Finalize, with
# their wrappers: they leave no code). $3 = any: mpirun's own code is not $1.
finish() {
  timeout 20 tail --pid="$job" -f /dev/null || fail "still running 20 s after the signal"
  wait "$job"; local rc=$? seen=0
  [ "${3:-}" = any ] || [ "$rc" = "$1" ] || fail "mpirun exited $rc, not $1"
  for file in "$work"/rc.*; do
    [ -f "$file" ] || continue
    case $(cat "$file") in
      "$1") seen=$((seen + 1)) ;;
      # The wrapper lost the status in its race with mpirun's teardown (its
      # own SIGTERM trap's code, or none): not the rank's word.
      -* | 143) ;;
      *) fail "${file##*/} is $(cat "$file"), not $1" ;;
    esac
  done
  [ "${3:-}" = any ] || [ "$seen" -ge 1 ] || fail "no rank reported its code"
  [ "$(grep -c "as asked; exit 75" "$work/out")" = 1 ] || fail "the stop was not said once"
  local at; at=$(sed -n 's|.*stopped after step \([0-9]*\)/.*|\1|p' "$work/out")
  [ -n "$at" ] || fail "no step said"
  if [ "${3:-}" = any ]; then  # mpirun's ~2 s: complete, or not there at all
    [ ! -d "$work/ck/default/step-$(printf %08d "$at")" ] ||
      [ -f "$work/ck/default/step-$(printf %08d "$at")/manifest.json" ] ||
      echo "(the checkpoint of step $at was cut short by mpirun: incomplete, ignored)"
  else
    [ -f "$work/ck/default/step-$(printf %08d "$at")/manifest.json" ] ||
      fail "no complete checkpoint of step $at"
  fi
  echo "$2: stopped after step $at, mpirun exited $rc, each of the $seen ranks that reported exited $1"
}

start; kill -TERM "$(rank_pid 2)"; finish 75 "SIGTERM to rank 2"
# mpirun stopping by SIGTERM kills its children (here the wrappers) and returns
# 1 whatever the ranks said: the stop must still be agreed and said.
start; kill -TERM "$job"; finish 75 "SIGTERM to mpirun" any
start; kill -USR1 "$job"; sleep 2
kill -0 "$job" || fail "SIGUSR1 ended the job"
grep -q "SIGUSR1: checkpoint at the next step boundary, then train on" "$work/out" || fail "USR1 not said"
grep -q "^checkpoint $work/ck/default/step-" "$work/out" || fail "SIGUSR1 wrote no checkpoint"
ls "$work"/ck/default/step-*/manifest.json >/dev/null 2>&1 || fail "no complete checkpoint after SIGUSR1"
kill -USR2 "$job"; finish 75 "SIGUSR1 then SIGUSR2 to mpirun"
