#!/usr/bin/env bash
# A stand-in for parcae under mpirun, for the job scripts' own test: prints its
# arguments (but --exit-file) and restart count, and on SIGUSR2 or SIGTERM
# exits 75 as parcae does after its checkpoint ("requeue me"); rank 0 writes
# that code to --exit-file first, as parcae's does.
# Like parcae's ranks, which agree on the step boundary before they exit, the
# stand-ins all note the signal before any exits (mpirun stops the others as
# soon as one exits non-zero).
exit_file=""; shown=()
while [ $# -gt 0 ]; do
  case $1 in
    --exit-file) exit_file=$2; shift 2 ;;
    *) shown+=("$1"); shift ;;
  esac
done
finish() {
  [ "$OMPI_COMM_WORLD_RANK" = 0 ] && [ -n "$exit_file" ] && echo "$1" > "$exit_file"
  exit "$1"
}
trap 'echo "rank $OMPI_COMM_WORLD_RANK: SIGUSR2"; sleep 1; finish 75' USR2
trap 'echo "rank $OMPI_COMM_WORLD_RANK: SIGTERM"; finish 75' TERM
echo "rank $OMPI_COMM_WORLD_RANK: ${shown[*]} (restart ${SLURM_RESTART_COUNT:-0})"
for _ in $(seq 600); do sleep 0.1; done
