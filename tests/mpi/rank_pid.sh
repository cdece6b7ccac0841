# Sourced by the tests that signal one rank of a job: rank_pid MPIRUN_PID RANK
# prints the pid of world rank RANK, a child of that mpirun, once it has
# started (within 20 s), or nothing.
rank_pid() {
  local job=$1 rank=$2 child
  for _ in $(seq 200); do
    for child in $(pgrep -P "$job"); do
      if tr '\0' '\n' < "/proc/$child/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$rank"; then
        echo "$child"; return
      fi
    done
    sleep 0.1
  done
}
