#!/usr/bin/env bash
# learns_shakespeare.sh PARCAE TEXT: byte-level tinyshakespeare, the tiny model,
# 300 steps of 16 x 64 tokens. The unigram entropy of the bytes is 3.31 nats
# (what a model that learnt only byte frequencies would reach); measured here,
# the validation loss ends at 2.31. The test asks for 2.7: 0.6 nats below the
# unigram entropy, with 0.4 nats of margin.
set -euo pipefail
parcae=$1; text=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$parcae" data prepare --text "$text" --out "$work/shk.bin" >/dev/null
"$parcae" train --model tiny --data "$work/shk.bin" --steps 300 --global-batch 16 \
  --micro-batch 8 --lr 3e-3 --warmup 20 --eval-every 100 --log-every 100 \
  --metrics "$work/metrics.jsonl"
val=$(grep -o '"val_loss": [^}]*' "$work/metrics.jsonl" | tail -1 | cut -d' ' -f2)
awk -v v="$val" 'BEGIN { printf "final validation loss %s (unigram entropy 3.31, bound 2.7)\n", v; exit !(v < 2.7) }'
