#!/usr/bin/env bash
# expect.sh CODE REGEX CMD...: runs CMD, passes when it exits with CODE and its
# stdout+stderr match the extended REGEX (grep -E). Used by the CLI ctests to
# check exit codes and messages of the real binary.
set -u
code=$1; regex=$2; shift 2
out=$("$@" 2>&1); got=$?
if [ "$got" != "$code" ]; then
  printf 'expected exit %s, got %s from: %s\n%s\n' "$code" "$got" "$*" "$out"; exit 1
fi
if ! printf '%s\n' "$out" | grep -Eq -- "$regex"; then
  printf 'output of %s does not match /%s/:\n%s\n' "$*" "$regex" "$out"; exit 1
fi
