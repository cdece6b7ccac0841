#!/usr/bin/env bash
# A stand-in for parcae under mpirun, for the job scripts' own test: prints its
# arguments and restart count, and on SIGUSR2 or SIGTERM exits 75 as parcae
# does after its checkpoint ("requeue me").
trap 'echo "rank $OMPI_COMM_WORLD_RANK: SIGUSR2"; exit 75' USR2
trap 'echo "rank $OMPI_COMM_WORLD_RANK: SIGTERM"; exit 75' TERM
echo "rank $OMPI_COMM_WORLD_RANK: $* (restart ${SLURM_RESTART_COUNT:-0})"
for _ in $(seq 600); do sleep 0.1; done
