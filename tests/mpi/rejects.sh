#!/usr/bin/env bash
# rejects.sh PARCAE RANKS REGEX CMD... : runs `parcae CMD...` under mpirun and
# passes when the job exits 2 within 30 s, the message matches REGEX, and it is
# printed once (by one rank), not once per rank: bad input is agreed by every
# rank before any communication, so nothing blocks.
set -uo pipefail
parcae=$1; ranks=$2; regex=$3; shift 3
start=$SECONDS
out=$(timeout 30 "${MPIRUN:-mpirun}" -np "$ranks" --oversubscribe "$parcae" "$@" 2>&1); rc=$?
if [ "$rc" != 2 ]; then printf 'expected exit 2, got %s after %s s\n%s\n' "$rc" "$((SECONDS - start))" "$out"; exit 1; fi
count=$(printf '%s\n' "$out" | grep -cE -- "$regex")
if [ "$count" != 1 ]; then printf 'expected the message once, saw it %s times:\n%s\n' "$count" "$out"; exit 1; fi
echo "exit 2 in $((SECONDS - start)) s, message once"
