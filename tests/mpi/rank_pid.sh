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

# wait_for_interval MPIRUN_PID OUT N: waits (up to 90 s) until the elastic
# job's progress in OUT shows interval N; fails, printing OUT, if it never does.
wait_for_interval() {
  local job=$1 out=$2 line
  line=$(printf 'interval %4d/' "$3")
  for _ in $(seq 900); do
    grep -q "$line" "$out" && return 0
    kill -0 "$job" 2>/dev/null || break
    sleep 0.1
  done
  grep -q "$line" "$out" || { echo "the job never reached interval $3"; cat "$out"; exit 1; }
}
