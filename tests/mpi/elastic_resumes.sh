#!/usr/bin/env bash
# elastic_resumes.sh PARCAE DATA_DIR crash|signals: an elastic run (1 coordinator +
# 4 workers, the tiny model, the scripted trace four_dips.csv: an instance
# goes in interval 3, another comes in 6, ...) is stopped and resumed like a
# fixed-layout one. The resumed run goes on at the checkpoint's step and at its
# place in the trace (the same instances per interval as the undisturbed
# run), trains every step from there, and every step's loss equals the
# undisturbed elastic run's and the lone process's within 1e-5 relative.
#   crash    checkpoints every 7 steps; a worker SIGKILLed mid-run ends the job
#            non-zero (plain mpirun); --resume of a missing and of an
#            incomplete folder is exit 2 naming it; --resume auto finishes.
#            Then --checkpoint-seconds 1: a checkpoint by the clock, resumed
#            with --resume PATH into another run.
#   signals  SIGUSR2 to mpirun: the coordinator checkpoints between two
#            intervals and every rank exits 75; then SIGUSR1 to mpirun
#            (checkpoint, train on) and SIGTERM to one worker (exit 75);
#            SIGTERM to mpirun (its ~2 s: complete or absent); each stop is
#            resumed with --resume auto.
#   long_intervals  intervals of 20 steps (--interval-steps 20, checkpoints
#            every 5): a SIGTERM to one worker 5 steps into interval 2 is
#            answered at the next step boundary, not at the interval's end
#            (step 40): every rank exits 75 and the checkpoint records its
#            place inside the interval, where the resumed run goes on; then
#            the same with SIGTERM to mpirun (its ranks are killed ~2 s later:
#            the stop's checkpoint must be complete by then).
set -uo pipefail
parcae=$1; data=$2; mode=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/rank_pid.sh"
work=$(mktemp -d); job=""
trap '[ -n "$job" ] && kill -KILL "$job" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
fail() {  # on stderr: it may be called inside $(...)
  { echo "FAIL: $*"; for f in "$work"/*.err; do echo "== $f"; tail -n 30 "$f"; done; } >&2
  exit 1
}
args=(train --model tiny --steps 60 --global-batch 8 --micro-batch 2 --lr 3e-3 --warmup 2
      --seed 7 --eval-batches 2 --log-every 100)
interval_steps=3
[ "$mode" = long_intervals ] && interval_steps=20
elastic=(--trace "$data/four_dips.csv" --profile "$data/every_kind_profile.csv"
         --policy parcae-oracle --look-ahead 1 --interval-steps "$interval_steps" --checkpoint-dir ck)
mpi() { "${MPIRUN:-mpirun}" -np 5 --oversubscribe "$@"; }
"$parcae" "${args[@]}" --metrics single.jsonl 2>/dev/null || fail "the lone process failed"
mpi "$parcae" "${args[@]}" "${elastic[@]}" --run full --metrics full.jsonl 2>full.err ||
  fail "the undisturbed elastic run failed"

# instances OUT FROM: "interval N: K instances" for every interval from FROM (1-based) on.
instances() {
  sed -n 's/^interval *\([0-9]*\)\/[0-9]* | *\([0-9]*\) instances.*/\1 \2/p' "$1" |
    awk -v from="$2" '$1 >= from'
}
# resumed NAME RUN STEP [FROM]: `--resume auto` of run RUN (or `--resume FROM`,
# a step folder of another run) goes on from the checkpoint of STEP steps and
# computes what the undisturbed run does.
resumed() {
  local name=$1 run=$2 step=$3 from=${4:-auto} first
  mpi "$parcae" "${args[@]}" "${elastic[@]}" --run "$run" --resume "$from" --metrics "$name.jsonl" \
    --timeline "$name.timeline" 2>"$name.err" || fail "$name: --resume $from failed"
  [ "$from" != auto ] || from=ck/$run/step-$(printf %08d "$step")
  grep -q "resuming from $from (step $step of 60)" "$name.err" ||
    fail "$name: did not resume from the checkpoint of step $step"
  first=$(sed -n 's/^interval *\([0-9]*\)\/.*/\1/p' "$name.err" | head -n 1)
  [ -n "$first" ] || fail "$name: no interval trained"
  [ "$(instances "$name.err" "$first")" = "$(instances full.err "$first")" ] ||
    fail "$name: the instances from interval $first differ from the undisturbed run's:
$(paste <(instances full.err "$first") <(instances "$name.err" "$first"))"
  /usr/bin/python3 "$here/losses_match.py" full.jsonl "$name.jsonl" --every-step --from-step "$step" |
    sed "s/^/$name vs the undisturbed elastic run: /"
  [ "${PIPESTATUS[0]}" = 0 ] || fail "$name: losses differ from the undisturbed elastic run's"
  /usr/bin/python3 "$here/losses_match.py" single.jsonl "$name.jsonl" | sed "s/^/$name vs the lone process: /"
  [ "${PIPESTATUS[0]}" = 0 ] || fail "$name: losses differ from the lone process's"
  echo "$name: resumed at step $step in interval $first, finished all 60 steps"
}
newest() {  # the newest complete checkpoint's step of run $1
  local d step=""
  for d in ck/"$1"/step-*; do [ -f "$d/manifest.json" ] && step=$((10#${d##*step-})); done
  echo "$step"
}
# The stop said once, every rank that reported said 75, a complete checkpoint
# of the step it stopped after, taken at most one step after rank 0 heard the
# request (one step is in flight as it hears it); prints that step.
stopped_at() {
  local out=$1 run=$2 at heard file
  [ "$(grep -c "as asked; exit 75" "$out")" = 1 ] || fail "$out: the stop was not said once"
  at=$(sed -n 's|.*stopped after step \([0-9]*\)/.*|\1|p' "$out")
  [ -f "ck/$run/step-$(printf %08d "$at")/manifest.json" ] || fail "no complete checkpoint of step $at"
  heard=$(sed -n "s|^checkpoint ck/$run/step-$(printf %08d "$at") (asked for at step \([0-9]*\),.*|\1|p" "$out")
  [ -n "$heard" ] || heard=$at  # already saved (a periodic checkpoint of that step)
  [ $((at - heard)) -le 1 ] && [ "$at" -ge "$heard" ] ||
    fail "$out: asked for at step $heard, the checkpoint is of step $at"
  for file in rc.*; do
    [ -f "$file" ] || continue
    case $(cat "$file") in 75 | -* | 143) ;; *) fail "$file is $(cat "$file"), not 75" ;; esac
  done
  echo "$at"
}

# launch RUN [ARGS]: the job under rank_exit_code.sh (each rank's code in rc.RANK), in the background.
launch() {
  local run=$1; shift
  rm -f rc.*
  "${MPIRUN:-mpirun}" -np 5 --oversubscribe "$here/../resume/rank_exit_code.sh" "$work" \
    "$parcae" "${args[@]}" "${elastic[@]}" --run "$run" "$@" >"$run.err" 2>&1 &
  job=$!
}
finish() {  # mpirun ends within 20 s; its code
  timeout 20 tail --pid="$job" -f /dev/null || fail "still running 20 s after the signal"
  wait "$job"; local rc=$?; job=""
  return "$rc"
}

# term_rank_2: SIGTERM to rank 2 of the running job (its parcae, not its
# rank_exit_code.sh): mpirun must end 75 (not inside $(...): mpirun is this shell's child).
term_rank_2() {
  local victim rc
  victim=$(rank_pid "$job" 2)
  [ -n "$victim" ] || fail "rank 2 not found"
  victim=$(pgrep -P "$victim" -x parcae)
  [ -n "$victim" ] || fail "rank 2's parcae not found"
  kill -TERM "$victim"; finish; rc=$?
  [ "$rc" = 75 ] || fail "SIGTERM to rank 2: mpirun exited $rc, not 75"
}

case $mode in
crash)
  "${MPIRUN:-mpirun}" -np 5 --oversubscribe "$parcae" "${args[@]}" "${elastic[@]}" \
    --checkpoint-every 7 --run crash 2>crash.err &  # mpirun itself: rank_pid looks at its children
  job=$!
  for _ in $(seq 400); do [ -f ck/crash/step-00000014/manifest.json ] && break; sleep 0.05; done
  [ -f ck/crash/step-00000014/manifest.json ] || fail "no checkpoint of step 14 within 20 s"
  victim=$(rank_pid "$job" 1)
  [ -n "$victim" ] || fail "rank 1 not found"
  kill -KILL "$victim"
  timeout 20 tail --pid="$job" -f /dev/null || fail "the job still runs 20 s after a worker died"
  wait "$job"; rc=$?; job=""
  [ "$rc" != 0 ] || fail "the job ended 0 after a worker was killed"
  step=$(newest crash)
  [ "$step" -lt 56 ] || fail "the run finished before the kill took effect"
  echo "worker killed: the job ended with $rc; newest complete checkpoint: step $step"
  # A missing and an incomplete (interrupted) checkpoint are named, exit 2.
  half=ck/crash/step-$(printf %08d $((step + 1)))
  mkdir -p "$half"; head -c 1000 "ck/crash/step-$(printf %08d "$step")/layer-0001.h5" >"$half/layer-0001.h5"
  for bad in "$half" ck/crash/step-99999999; do
    timeout 30 "${MPIRUN:-mpirun}" -np 5 --oversubscribe "$parcae" "${args[@]}" "${elastic[@]}" \
      --run crash --resume "$bad" >bad.out 2>&1; rc=$?
    [ "$rc" = 2 ] || { cat bad.out; fail "--resume $bad exited $rc, not 2"; }
    [ "$(grep -c -- "--resume $bad: \(incomplete checkpoint\|no such checkpoint folder\)" bad.out)" = 1 ] ||
      { cat bad.out; fail "--resume $bad: not named once"; }
  done
  echo "--resume of an incomplete and of a missing folder: exit 2, named"
  resumed after_crash crash "$step"

  # --checkpoint-seconds: checkpoints between intervals by the clock; one of
  # them, resumed by its path into another run, computes the same.
  mpi "$parcae" "${args[@]}" "${elastic[@]}" --checkpoint-seconds 1 --keep-checkpoints 100 \
    --run clock 2>clock.err || fail "the --checkpoint-seconds run failed"
  step=$(sed -n 's|^checkpoint ck/clock/step-\([0-9]*\) (--checkpoint-seconds after interval.*|\1|p' clock.err |
    head -n 1)
  [ -n "$step" ] || fail "no checkpoint by the clock"
  resumed after_clock from_clock $((10#$step)) "ck/clock/step-$step"
  ;;
signals)
  start() { launch "$@"; wait_for_interval "$job" "$1.err" 5; }  # until interval 5
  start usr2; kill -USR2 "$job"; finish; rc=$?
  [ "$rc" = 75 ] || fail "SIGUSR2 to mpirun: mpirun exited $rc, not 75"
  at=$(stopped_at usr2.err usr2) || exit 1
  grep -q "checkpoint ck/usr2/step-$(printf %08d "$at") (asked for at step [0-9]*, interval" usr2.err ||
    fail "the stop's checkpoint was not said"
  echo "SIGUSR2 to mpirun: stopped after step $at, exit 75"
  resumed after_usr2 usr2 "$at"

  start term; kill -USR1 "$job"
  for _ in $(seq 200); do grep -q "(asked for at step" term.err && break; sleep 0.05; done
  grep -q "(asked for at step" term.err || fail "SIGUSR1 wrote no checkpoint"
  kill -0 "$job" 2>/dev/null || fail "SIGUSR1 ended the job"
  term_rank_2; at=$(stopped_at term.err term) || exit 1
  echo "SIGUSR1 to mpirun: checkpointed and trained on; SIGTERM to rank 2: stopped after step $at," \
    "each of the $(grep -lx 75 rc.* | wc -l) ranks that reported exited 75"
  resumed after_term term "$at"

  # mpirun's own SIGTERM kills the ranks ~2 s later: mpirun says 1, the
  # checkpoint of the stop is complete or never counted (no manifest).
  start mpirun_term --checkpoint-every 7; kill -TERM "$job"; finish
  at=$(sed -n 's|.*stopped after step \([0-9]*\)/.*|\1|p' mpirun_term.err)
  if [ -n "$at" ] && [ -d "ck/mpirun_term/step-$(printf %08d "$at")" ] &&
     [ ! -f "ck/mpirun_term/step-$(printf %08d "$at")/manifest.json" ]; then
    echo "SIGTERM to mpirun: the checkpoint of step $at was cut short (incomplete, ignored)"
  fi
  step=$(newest mpirun_term)
  [ -n "$step" ] || fail "SIGTERM to mpirun: no complete checkpoint at all"
  echo "SIGTERM to mpirun: stopped${at:+ after step $at}; newest complete checkpoint: step $step"
  resumed after_mpirun_term mpirun_term "$step"
  ;;
long_intervals)
  # RUN until the periodic checkpoint of step STEP is complete.
  launch_into_interval() {
    local run=$1 step=$2
    launch "$run" --checkpoint-every 5
    for _ in $(seq 400); do [ -f "ck/$run/step-$(printf %08d "$step")/manifest.json" ] && return; sleep 0.05; done
    fail "$run: no checkpoint of step $step within 20 s"
  }
  # The stop's checkpoint at step AT of RUN records its place in the trace
  # (interval AT / 20, AT % 20 steps into it), and the run resumed from it goes
  # on there: it starts that many steps into that interval, which ends at its
  # 20-step boundary, and computes what the undisturbed run does.
  resumed_inside() {
    local run=$1 at=$2 k=$(($2 / 20)) into=$(($2 % 20)) said
    said=$(/usr/bin/python3 -c 'import json, sys
print(json.dumps(json.load(open(sys.argv[1]))["training"]["elastic"], sort_keys=True))' \
      "ck/$run/step-$(printf %08d "$at")/manifest.json") || fail "$run: no manifest of step $at"
    [ "$said" = "{\"interval\": $k, \"steps_into_interval\": $into}" ] ||
      fail "$run: the checkpoint of step $at records $said, not step $into of interval $k"
    resumed "after_$run" "$run" "$at"
    grep -q "\"resumed_at\":{\"interval\":$k,\"step\":$at,\"steps_into_interval\":$into}" \
      "after_$run.timeline" || fail "after_$run: the timeline does not start $into steps into interval $k"
    [ "$(sed -n "s|^interval *$((k + 1))/.*step *\([0-9]*\)/60.*|\1|p" "after_$run.err")" = $((20 * k + 20)) ] ||
      fail "after_$run: the resumed interval $((k + 1)) did not end at step $((20 * k + 20))"
  }
  launch_into_interval term 25  # 5 steps into interval 2 (steps 21-40)
  term_rank_2; at=$(stopped_at term.err term) || exit 1
  [ "$at" -lt 35 ] || fail "SIGTERM to rank 2 after step 25: stopped after step $at (the interval ends at 40)"
  echo "SIGTERM to rank 2 after the checkpoint of step 25: stopped after step $at" \
    "(interval 2 ends at step 40), exit 75"
  resumed_inside term "$at"

  # mpirun passes its SIGTERM on about 1 s later and kills the ranks about 1 s
  # after that: signalled at step 5, the ranks hear it some 40 steps later.
  launch_into_interval mpirun_term 5; kill -TERM "$job"; finish
  at=$(stopped_at mpirun_term.err mpirun_term) || exit 1
  echo "SIGTERM to mpirun after the checkpoint of step 5: stopped after step $at, checkpoint complete"
  resumed_inside mpirun_term "$at"
  ;;
*) echo "unknown mode $mode"; exit 2 ;;
esac
