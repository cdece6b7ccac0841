#!/usr/bin/env bash
# rank_exit_code.sh DIR PROGRAM ARGS...: runs PROGRAM as one rank under mpirun
# and writes its exit code to DIR/rc.RANK, so a test sees every rank's code
# (mpirun reports one). It outlives mpirun's SIGTERM (which PROGRAM still
# gets: a caught signal is reset to the default in the child) to write it.
dir=$1; shift
trap 'true' TERM USR1 USR2
"$@" &
child=$!
while :; do
  wait "$child"; rc=$?
  kill -0 "$child" 2>/dev/null || break
done
wait "$child" 2>/dev/null; rc=$?
echo "$rc" >"$dir/rc.${OMPI_COMM_WORLD_RANK:-0}"
exit "$rc"
