#!/usr/bin/env bash
# recovery_vs_restart.sh PARCAE [DEATH_SECONDS=0.5] [RUNS=3]: issue 15's measure
# (a benchmark, not CI). The same elastic job (tiny model, 1 coordinator + 6
# workers in 2 x 3, checkpoints every 4 steps) loses worker rank 2 to SIGKILL
# at interval 6, two ways:
#   recovery: under `mpirun --enable-recovery` the survivors go on;
#   restart:  under plain mpirun the job ends, and the same command is run
#             again with --resume auto (what a batch system's requeue does,
#             without the queue wait).
# Both are timed from the SIGKILL to the first interval trained after it (the
# next progress line; for recovery, the next one after the "lost" line: an
# interval that ends between the kill and its detection trained without the
# loss), so each includes one interval of 2 steps. A recovery's detection
# (SIGKILL to the "lost" line) is printed too. Prints one line per run and
# the medians and their ratio.
set -uo pipefail
parcae=$1; death=${2:-0.5}; runs=${3:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$root/tests/elastic/data
. "$root/tests/mpi/rank_pid.sh"
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_mpi_yield_when_idle=1 OMP_NUM_THREADS=1
[ "$(id -u)" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d); job=""  # KEEP=1: leave the outputs in $work
trap '[ -n "$job" ] && kill -KILL "$job" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
args=(train --model tiny --steps 60 --global-batch 12 --micro-batch 2 --lr 1e-3 --warmup 2
      --seed 7 --eval-batches 2 --log-every 1000 --trace "$data/steady_six.csv"
      --interval-steps 2 --profile "$data/two_by_three_profile.csv" --policy parcae-oracle
      --look-ahead 1 --stall-seconds 60 --checkpoint-every 4)

# stamp OUT: each line of stdin with the seconds since the epoch, into OUT.
stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done >"$1"; }

# first_interval_after OUT T: the stamp of OUT's first progress line after T.
first_interval_after() {
  awk -v t="$2" '$1 > t && / interval +[0-9]+\// { print $1; exit }' "$1"
}

# lost_after OUT T: the stamp of OUT's first "rank N lost" line after T.
lost_after() { awk -v t="$2" '$1 > t && / lost \(/ { print $1; exit }' "$1"; }

# kill_rank2_at_interval6 OUT: SIGKILLs the job's world rank 2 once OUT shows
# interval 6; prints the time of the kill.
kill_rank2_at_interval6() {
  local out=$1 pid
  pid=$(rank_pid "$job" 2)
  wait_for_interval "$job" "$out" 6
  kill -KILL "$pid"
  date +%s.%N
}

# elapsed FROM TO: TO - FROM in seconds ("nan" when TO is missing: never trained again).
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" ? "nan" : b - a) }'; }

declare -a rec res det
for i in $(seq "$runs"); do
  dir=$work/rec$i
  mpirun -np 7 --enable-recovery "$parcae" "${args[@]}" --checkpoint-dir "$dir" \
    --death-seconds "$death" > >(stamp "$work/rec$i.out") 2>&1 &
  job=$!
  t_kill=$(kill_rank2_at_interval6 "$work/rec$i.out")
  timeout 180 tail --pid="$job" -f /dev/null; job=""
  t_lost=$(lost_after "$work/rec$i.out" "$t_kill")
  t_back=$(first_interval_after "$work/rec$i.out" "${t_lost:-$t_kill}")
  rec+=("$(elapsed "$t_kill" "$t_back")")
  det+=("$(elapsed "$t_kill" "$t_lost")")

  dir=$work/res$i
  mpirun -np 7 "$parcae" "${args[@]}" --checkpoint-dir "$dir" > >(stamp "$work/res$i.out") 2>&1 &
  job=$!
  t_kill=$(kill_rank2_at_interval6 "$work/res$i.out")
  timeout 60 tail --pid="$job" -f /dev/null; job=""
  mpirun -np 7 "$parcae" "${args[@]}" --checkpoint-dir "$dir" --resume auto \
    > >(stamp "$work/res$i.again") 2>&1 &
  job=$!
  timeout 180 tail --pid="$job" -f /dev/null; job=""
  t_back=$(first_interval_after "$work/res$i.again" "$t_kill")
  res+=("$(elapsed "$t_kill" "$t_back")")
  printf 'run %d: recovery %.2f s (detection %.3f s), restart %.2f s\n' "$i" "${rec[-1]}" \
    "${det[-1]}" "${res[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
r=$(median "${rec[@]}"); s=$(median "${res[@]}"); t=$(median "${det[@]}")
printf 'death-seconds %s, %d runs: recovery median %.2f s (detection %.3f s), restart median %.2f s, restart / recovery %.1fx\n' \
  "$death" "$runs" "$r" "$t" "$s" "$(awk -v a="$s" -v b="$r" 'BEGIN { print a / b }')"
