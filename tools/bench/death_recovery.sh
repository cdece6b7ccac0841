#!/usr/bin/env bash
# death_recovery.sh PARCAE [RUNS=20]: the death test of issue 15, repeated (a
# benchmark, not CI): each run SIGKILLs one active worker of a 2 x 3 elastic
# job under mpirun --enable-recovery (the victim cycles over ranks 1..6) and
# checks exit 0, every step trained, losses within 1e-5 of the lone process
# (tests/mpi/elastic_survives_death.sh). Prints one line per run and a count of
# runs recovered, requeued (exit 75 said), hung (killed by the 240 s bound) or
# failed, with the recovery times (detection excluded: that is --death-seconds).
set -uo pipefail
parcae=$1; runs=${2:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_mpi_yield_when_idle=1 OMP_NUM_THREADS=1
[ "$(id -u)" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
recovered=0 requeued=0 hung=0 failed=0
for i in $(seq "$runs"); do
  victim=$(( (i - 1) % 6 + 1 ))
  kind=pipeline  # one death of 2 x 3 with no spare: 2 x 2 from the live replicas
  out=$(timeout 240 "$root/tests/mpi/elastic_survives_death.sh" "$parcae" \
        "$root/tests/elastic/data" "$kind" "$victim" 2>&1); rc=$?
  seconds=$(grep -o '"recovery_seconds":[0-9.e-]*' <<<"$out" | cut -d: -f2)
  ended=$(grep -o 'ended in [0-9]* s' <<<"$out")
  if [ "$rc" = 0 ]; then recovered=$((recovered + 1)); verdict=recovered
  elif [ "$rc" = 124 ]; then hung=$((hung + 1)); verdict=hung
  elif grep -q "exiting 75" <<<"$out"; then requeued=$((requeued + 1)); verdict=requeued
  else failed=$((failed + 1)); verdict="failed: $(tail -2 <<<"$out" | tr '\n' ' ')"
  fi
  echo "run $i: rank $victim killed, $verdict, $ended, recovery ${seconds:-?} s"
done
echo "$runs runs: $recovered recovered, $requeued requeued, $hung hung, $failed failed"
