#!/usr/bin/env bash
# rank_exit_code.sh DIR PROGRAM ARGS...: runs PROGRAM as one rank under mpirun
# and writes its exit code to DIR/rc.RANK, so a test sees every rank's code
# (mpirun reports one). It outlives mpirun's SIGTERM (which PROGRAM still
# gets: a caught signal is reset to the default in the child) to write it.
dir=$1; shift
trap 'true' TERM USR1 USR2
"$@" &
child=$!
# A wait that a trapped signal interrupted returns 128+N with the child alive:
# wait again. Once the child is gone, a status over 128 may still be the
# trap's: the next wait gives the child's own, if the first did not take it.
while :; do
  wait "$child"; rc=$?
  kill -0 "$child" 2>/dev/null && continue
  if [ "$rc" -gt 128 ]; then
    wait "$child" 2>/dev/null; again=$?
    [ "$again" -ge 0 ] && [ "$again" -le 128 ] && rc=$again
  fi
  break
done
# Temp name, then rename: mpirun may SIGKILL this wrapper as it writes, and
# a test must find either the whole code or no report, never an empty file.
out="$dir/rc.${OMPI_COMM_WORLD_RANK:-0}"
tmp="$dir/.rc.${OMPI_COMM_WORLD_RANK:-0}.$$"  # hidden: no rc.* glob sees it
echo "$rc" >"$tmp" && mv -f "$tmp" "$out"
exit "$rc"
