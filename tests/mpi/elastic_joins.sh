#!/usr/bin/env bash
# elastic_joins.sh PARCAE DATA_DIR TRACE JOINS [--recovery] [--kill RANK]: an
# elastic job starts with 1 coordinator + 4 workers and --join-workers 2; the
# trace TRACE (in DATA_DIR) raises its instances to 6, so rank 0 spawns new
# worker processes (JOINS spawns in all) and merges them into the world. The
# job must grow to a layout that trains on the joined ranks 5 and 6, finish
# every step, exit 0, and every step's loss (redone ones included) must equal
# the lone process's within 1e-5 relative. --recovery: under `mpirun
# --enable-recovery`. --kill RANK: under it, world rank RANK (one of the first
# four, or a joined one: 5, 6) is SIGKILLed once the job trains on the joined
# ranks; the job must survive that death too. --kill-first RANK: under it,
# world rank RANK (one of the first four) is SIGKILLed in interval 4, before the
# trace's new instances arrive, so the spawn is collective over the survivors
# and the merged world numbers them anew (the job's ranks 5 and 6 are then
# merged ranks 4 and 5). --join-workers N: up to N joiners (default 2).
# --events "E1 E2 ...": the timeline's deaths and joins must come in that order
# (say "join death join" for a second join over the survivors of a merged world).
# Every rank a join brought in must train in some interval.
# --join-hosts H: where they go; JOINS = 0 with a host mpirun does not know:
# the spawn fails, the job must say so (a line, a "join_failed" record) and
# train on without them, the same losses, rank 0 ending it with 0 (--exit-file).
# Open MPI 4.1's mpirun then never returns although every rank has ended (it
# waits for the spawn that failed): the test stops it once no rank is left.
set -euo pipefail
. "$(dirname "$0")/rank_pid.sh"
parcae=$1; data=$2; trace=$3; joins=$4; shift 4
recovery=(); victim=""; first=""; join_workers=2; hosts=(); order=""
while [ $# -gt 0 ]; do
  case $1 in
    --recovery) recovery=(--enable-recovery); shift ;;
    --kill) victim=$2; recovery=(--enable-recovery); shift 2 ;;
    --kill-first) victim=$2; first=1; recovery=(--enable-recovery); shift 2 ;;
    --join-workers) join_workers=$2; shift 2 ;;
    --join-hosts) hosts=(--join-hosts "$2"); shift 2 ;;
    --events) order=$2; shift 2 ;;
    *) echo "unknown argument $1"; exit 2 ;;
  esac
done
work=$(mktemp -d); job=""
trap '[ -n "$job" ] && kill -KILL "$job" 2>/dev/null; rm -rf "$work"' EXIT
args=(train --model tiny --steps 40 --global-batch 12 --micro-batch 2 --lr 1e-3 --warmup 2
      --seed 7 --eval-batches 2 --log-every 100)
"$parcae" "${args[@]}" --metrics "$work/single.jsonl" 2>/dev/null
"${MPIRUN:-mpirun}" "${recovery[@]}" -np 5 --oversubscribe "$parcae" "${args[@]}" \
  --metrics "$work/elastic.jsonl" --trace "$data/$trace" --interval-steps 2 \
  --profile "$data/two_by_three_profile.csv" --policy parcae-oracle --look-ahead 1 \
  --join-workers "$join_workers" "${hosts[@]}" --death-seconds 3 --stall-seconds 60 \
  --timeline "$work/timeline" --exit-file "$work/exit" >"$work/out" 2>&1 &
job=$!
if [ -n "$victim" ]; then
  if [ "$victim" -le 4 ]; then
    pid=$(rank_pid "$job" "$victim")  # before any joiner exists (they number their own world from 0)
    # Before the join (a few intervals trained), or once a few trained on the joined ranks.
    wait_for_interval "$job" "$work/out" "$([ -n "$first" ] && echo 4 || echo 12)"
  else
    # A joiner: merged rank 5 + i is rank i of the spawned job, whose job id differs from rank 1's.
    ours=$(tr '\0' '\n' < "/proc/$(rank_pid "$job" 1)/environ" | grep '^OMPI_MCA_ess_base_jobid=')
    wait_for_interval "$job" "$work/out" 12
    pid=""
    for child in $(pgrep -P "$job"); do
      env=$(tr '\0' '\n' < "/proc/$child/environ" 2>/dev/null) || continue
      if ! grep -qx "$ours" <<<"$env" && grep -qx "OMPI_COMM_WORLD_RANK=$((victim - 5))" <<<"$env"; then
        pid=$child
      fi
    done
  fi
  [ -n "$pid" ] || { echo "no process for rank $victim"; cat "$work/out"; exit 1; }
  kill -KILL "$pid"
fi
stopped=""
for _ in $(seq $((${PARCAE_HANG_S:-150} * 10))); do
  kill -0 "$job" 2>/dev/null || break
  # Rank 0 said how the job ended and no rank is left: mpirun outlives them.
  if [ "$joins" = 0 ] && [ -s "$work/exit" ] && [ -z "$(pgrep -P "$job")" ]; then
    echo "every rank ended (rank 0: exit $(cat "$work/exit")), mpirun did not: stopping it"
    kill -KILL "$job"; stopped=1
    break
  fi
  sleep 0.1
done
if [ -z "$stopped" ] && kill -0 "$job" 2>/dev/null; then echo "still running after ${PARCAE_HANG_S:-150} s"; cat "$work/out"; exit 1; fi
set +e
wait "$job"; rc=$?
set -e
job=""
if [ "$joins" = 0 ]; then rc=$(cat "$work/exit"); fi
[ "$(cat "$work/exit")" = 0 ] || { echo "rank 0 ended the job with $(cat "$work/exit")"; cat "$work/out"; exit 1; }
grep -E "joined|spawn|lost|pipeline|grow|inter-stage|rollback|elastic run" "$work/out" || true
[ "$rc" = 0 ] || { echo "expected exit 0, got $rc"; cat "$work/out"; exit 1; }
got=$(grep -c '"event":"join"' "$work/timeline" || true)
[ "$got" = "$joins" ] || { echo "expected $joins join(s) in the timeline, got $got"; cat "$work/out"; exit 1; }
/usr/bin/python3 - "$work/timeline" "$joins" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1])]
if sys.argv[2] == "0":
    failed = [r for r in records if r["event"] == "join_failed"]
    if not failed:
        sys.exit("no join_failed record in the timeline")
    print("join_failed:", json.dumps(failed[0]))
    if any(r["event"] == "interval" and {5, 6} & set(r["active"]) for r in records):
        sys.exit("an interval trains on a rank whose spawn failed")
    sys.exit(0)
intervals = [r for r in records if r["event"] == "interval"]
used = [r for r in intervals if {5, 6} <= set(r["active"])]
if not used:
    sys.exit("no interval trains on the joined ranks 5 and 6")
first = used[0]
print(f"interval {first['interval']}: {first['dp']}x{first['pp']} on ranks {first['active']}")
for join in (r for r in records if r["event"] == "join"):
    for rank in join["ranks"]:
        trained = [r for r in intervals if rank in r["active"]]
        if not trained:
            sys.exit(f"rank {rank}, joined in interval {join['interval']}, never trains")
        print(f"rank {rank} (joined in interval {join['interval']}) trains from interval "
              f"{trained[0]['interval']}: {trained[0]['dp']}x{trained[0]['pp']} on {trained[0]['active']}")
PY
if [ -n "$victim" ]; then
  grep -q '"event":"death"' "$work/timeline" || { echo "no death in the timeline"; exit 1; }
  grep '"event":"death"' "$work/timeline"
fi
if [ -n "$order" ]; then
  got=$(grep -oE '"event":"(death|join)"' "$work/timeline" | cut -d'"' -f4 | tr '\n' ' ')
  [ "${got% }" = "$order" ] || { echo "expected the events $order, got: $got"; exit 1; }
fi
/usr/bin/python3 "$(dirname "$0")/losses_match.py" "$work/single.jsonl" "$work/elastic.jsonl" --every-step
