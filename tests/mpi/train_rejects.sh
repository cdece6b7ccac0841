#!/usr/bin/env bash
# train_rejects.sh PARCAE RANKS REGEX ARGS...: runs `parcae train ARGS` under
# mpirun and passes when the job exits 2, the message matches REGEX, and it is
# printed once (by rank 0), not once per rank: bad input is caught by every
# rank before any communication, so nothing blocks.
set -uo pipefail
parcae=$1; ranks=$2; regex=$3; shift 3
out=$("${MPIRUN:-mpirun}" -np "$ranks" --oversubscribe "$parcae" train "$@" 2>&1); rc=$?
if [ "$rc" != 2 ]; then printf 'expected exit 2, got %s\n%s\n' "$rc" "$out"; exit 1; fi
count=$(printf '%s\n' "$out" | grep -cE -- "$regex")
if [ "$count" != 1 ]; then printf 'expected the message once, saw it %s times:\n%s\n' "$count" "$out"; exit 1; fi
