#!/usr/bin/env bash
# A stand-in for parcae under mpirun, for the job scripts' own test: prints its
# arguments and restart count, and on SIGUSR2 or SIGTERM exits 75 as parcae
# does after its checkpoint ("requeue me").
# Like parcae's ranks, which agree on the step boundary before they exit, the
# stand-ins all note the signal before any exits (mpirun stops the others as
# soon as one exits non-zero).
trap 'echo "rank $OMPI_COMM_WORLD_RANK: SIGUSR2"; sleep 1; exit 75' USR2
trap 'echo "rank $OMPI_COMM_WORLD_RANK: SIGTERM"; exit 75' TERM
echo "rank $OMPI_COMM_WORLD_RANK: $* (restart ${SLURM_RESTART_COUNT:-0})"
for _ in $(seq 600); do sleep 0.1; done
