#!/usr/bin/env bash
# profile_feeds_simulate.sh PARCAE: profiles the tiny model on 2 workers under
# mpirun, then checks that the table has every (D, P) 2 workers allow and that
# `simulate` runs on both outputs (the throughput table and the layer costs).
set -euo pipefail
parcae=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"${MPIRUN:-mpirun}" -np 3 --oversubscribe "$parcae" profile --model tiny --steps 2 --repeats 2 \
  --out "$work/profile.csv" --layer-costs-out "$work/layers.csv"
head -1 "$work/profile.csv" | grep -qx 'dp,pp,iteration_ms,samples_per_s'
rows=$(tail -n +2 "$work/profile.csv" | cut -d, -f1,2 | tr '\n' ' ')
[ "$rows" = "1,1 1,2 2,1 " ] || { echo "unexpected configurations: $rows"; exit 1; }
[ "$(wc -l < "$work/layers.csv")" = 7 ] || { echo "expected 6 layers"; cat "$work/layers.csv"; exit 1; }
"$parcae" trace gen --capacity 3 --initial 2 --intervals 60 --alloc-rate 0.1 --preempt-hazard 0.05 \
  --out "$work/trace.csv"
"$parcae" simulate --trace "$work/trace.csv" --profile "$work/profile.csv" --cost-model shape \
  --layers 4 --hidden 64 | grep -q parcae-oracle
"$parcae" simulate --trace "$work/trace.csv" --layer-costs "$work/layers.csv" --global-batch 16 \
  --micro-batch 2 | grep -q parcae-oracle
echo "profile -> simulate: ok"
