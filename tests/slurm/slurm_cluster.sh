# slurm_cluster.sh: a real one-node Slurm cluster for tests, sourced by them.
#
#   . tests/slurm/slurm_cluster.sh
#   slurm_cluster_start "$work"      # munged, slurmctld, slurmd; exports SLURM_CONF
#   jobid=$(sbatch --parsable ...)
#   slurm_wait_job "$jobid" RUNNING 60
#   slurm_cluster_stop               # also run by the EXIT trap slurm_cluster_start sets
#
# Everything lives under the given folder (keys, state, spool, pid and log
# files, sockets) on free ports, so it touches nothing of the machine's own
# munge or Slurm and several tests may run side by side. Built for a machine
# with no systemd and no cgroups (a container): proctrack/linuxproc and
# task/none, no cgroup.conf; munged runs as the munge user, the Slurm daemons
# as root. Every daemon it started is stopped by its pid, on success and on
# failure alike.
#
# slurm_cluster_available says why not (and returns 1) where slurm-wlm or munge
# is not installed, or the test is not root: the caller skips with that message.

slurm_cluster_pids=()
slurm_cluster_dir=

slurm_cluster_available() {
  local tool
  for tool in /usr/sbin/munged /usr/sbin/slurmctld /usr/sbin/slurmd sbatch scontrol squeue; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "slurm test skipped: $tool not found (tools/install-deps.sh installs slurm-wlm and munge)"
      return 1
    fi
  done
  if [ "$(id -u)" != 0 ]; then
    echo "slurm test skipped: starting slurmd and munged as the munge user needs root"
    return 1
  fi
  if ! id munge >/dev/null 2>&1; then
    echo "slurm test skipped: no munge user (the munge package creates it)"
    return 1
  fi
}

# Two free TCP ports on 127.0.0.1 (bound by the kernel, then released).
slurm_free_ports() {
  /usr/bin/python3 - <<'EOF'
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# The pids of PID's descendants.
slurm_descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    slurm_descendants "$child"
  done
}

# The job step daemons our slurmd started (their working folder is our log
# folder), with everything below them.
slurm_cluster_steps() {
  local pid
  [ -n "$slurm_cluster_dir" ] || return 0
  for pid in $(pgrep -x slurmstepd 2>/dev/null); do
    case $(readlink "/proc/$pid/cwd" 2>/dev/null) in
      "$slurm_cluster_dir"/*) echo "$pid"; slurm_descendants "$pid" ;;
    esac
  done
}

slurm_cluster_stop() {
  local pid
  if [ ${#slurm_cluster_pids[@]} -gt 0 ] && [ -n "${SLURM_CONF:-}" ]; then
    # Jobs first, while slurmd can still end them (a job left running outlives
    # its slurmd), then whatever step is still there.
    scancel --full --quiet --partition=test 2>/dev/null || true
    for _ in $(seq 100); do
      [ -z "$(squeue -h -o %i 2>/dev/null)" ] && [ -z "$(slurm_cluster_steps)" ] && break
      sleep 0.1
    done
    for pid in $(slurm_cluster_steps); do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  for pid in "${slurm_cluster_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${slurm_cluster_pids[@]}"; do
    # A daemon is not our child: poll until it is gone, then insist.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  slurm_cluster_pids=()
}

# The pid a daemon wrote to FILE, once it has written it (within ~10 s).
slurm_pid_from() {
  local file=$1
  for _ in $(seq 100); do
    if [ -s "$file" ]; then cat "$file"; return 0; fi
    sleep 0.1
  done
  return 1
}

slurm_cluster_fail() {
  echo "slurm cluster: $*" >&2
  local log
  for log in "$slurm_cluster_dir"/log/*; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
  done
  slurm_cluster_stop
  return 1
}

# slurm_cluster_start DIR [CPUS]: starts the cluster under DIR (which must
# exist) with one node of CPUS cpus (default: this machine's), waits until the
# node is idle, exports SLURM_CONF, and sets an EXIT trap that stops the
# daemons (a caller with its own EXIT trap calls slurm_cluster_stop in it).
slurm_cluster_start() {
  slurm_cluster_dir=$(cd "$1" && pwd)
  local cpus=${2:-$(getconf _NPROCESSORS_ONLN)}  # nproc heeds OMP_NUM_THREADS
  local d=$slurm_cluster_dir node
  node=$(hostname -s)
  mkdir -p "$d/munge" "$d/state" "$d/spool" "$d/run" "$d/log"
  # munged checks that no one else can write where its socket and key live.
  chmod 0755 "$d" "$d/munge"
  dd if=/dev/urandom of="$d/munge/munge.key" bs=1024 count=1 status=none
  chown -R munge:munge "$d/munge"
  chmod 0400 "$d/munge/munge.key"
  trap slurm_cluster_stop EXIT
  runuser -u munge -- /usr/sbin/munged --force --socket="$d/munge/munge.socket.2" \
    --key-file="$d/munge/munge.key" --pid-file="$d/munge/munged.pid" \
    --log-file="$d/munge/munged.log" --seed-file="$d/munge/munged.seed" ||
    { slurm_cluster_fail "munged did not start"; return 1; }
  slurm_cluster_pids+=("$(slurm_pid_from "$d/munge/munged.pid")") ||
    { slurm_cluster_fail "munged wrote no pid"; return 1; }
  # The Slurm daemons connect to the socket as root; the folder must be
  # searchable by others for the clients too.
  chmod o+x "$d/munge"

  local ports ctld_port slurmd_port
  ports=$(slurm_free_ports)
  read -r ctld_port slurmd_port <<<"$ports"
  cat >"$d/slurm.conf" <<EOF
ClusterName=parcae-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$d/munge/munge.socket.2
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/run/slurmctld.pid
SlurmdPidFile=$d/run/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
JobRequeue=1
KillWait=10
InactiveLimit=0
MinJobAge=600
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
  export SLURM_CONF=$d/slurm.conf
  /usr/sbin/slurmctld -c -i -f "$SLURM_CONF" || { slurm_cluster_fail "slurmctld did not start"; return 1; }
  slurm_cluster_pids+=("$(slurm_pid_from "$d/run/slurmctld.pid")") ||
    { slurm_cluster_fail "slurmctld wrote no pid"; return 1; }
  /usr/sbin/slurmd -f "$SLURM_CONF" || { slurm_cluster_fail "slurmd did not start"; return 1; }
  slurm_cluster_pids+=("$(slurm_pid_from "$d/run/slurmd.pid")") ||
    { slurm_cluster_fail "slurmd wrote no pid"; return 1; }
  local state
  for _ in $(seq 300); do
    state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
    [ "$state" = idle ] && return 0
    sleep 0.1
  done
  slurm_cluster_fail "node $node not idle after 30 s (state '$state')"
}

# slurm_job_field JOBID FIELD: one field of `scontrol show job` (JobState, Restarts, ...).
slurm_job_field() {
  scontrol show job "$1" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# slurm_wait_job JOBID STATE SECONDS: waits until the job is in STATE
# (RUNNING, PENDING, COMPLETED, ...); fails naming the state it is in.
slurm_wait_job() {
  local job=$1 want=$2 seconds=$3 state=
  for _ in $(seq $((seconds * 10))); do
    state=$(slurm_job_field "$job" JobState)
    [ "$state" = "$want" ] && return 0
    sleep 0.1
  done
  echo "job $job is $state, not $want, after $seconds s" >&2
  scontrol show job "$job" >&2 || true
  return 1
}

# slurm_release_requeued JOBID SECONDS: a requeued job is held ~2 minutes
# (Reason=BeginTime) once it is back to PENDING; `StartTime=now` sent before
# then (while the requeue is still being carried out) is overwritten by the
# hold. So: wait until it is held, release it, and wait until it runs again
# (or has already run to its end). Until it has been PENDING, RUNNING or
# COMPLETING is still the first run being ended by the requeue. Released in
# the same second as the requeue's kill, the rerun fails at once (slurmctld:
# "Killing non-startable batch JobId=1: Job credential revoked"; slurmd
# compares the new credential's time, in whole seconds, with the revocation's)
# and the job ends FAILED: so the release waits 2 s after the hold is seen.
slurm_release_requeued() {
  local job=$1 seconds=$2 state= reason= pending=0 held=0
  for _ in $(seq $((seconds * 10))); do
    state=$(slurm_job_field "$job" JobState)
    reason=$(slurm_job_field "$job" Reason)
    [ "$state" = PENDING ] && pending=1
    if [ "$pending" = 1 ]; then
      case $state in RUNNING | COMPLETING | COMPLETED) return 0 ;; esac  # it ran again
    fi
    if [ "$state" = PENDING ] && [ "$reason" = BeginTime ]; then
      held=$((held + 1))
      [ "$held" -ge 20 ] && { scontrol update jobid="$job" StartTime=now 2>/dev/null || true; }
    fi
    sleep 0.1
  done
  echo "requeued job $job is $state ($reason), not RUNNING, after $seconds s" >&2
  scontrol show job "$job" >&2 || true
  return 1
}
