#!/usr/bin/env bash
# train_on_cuda.sh PARCAE DP PP: trains the tiny model as DP x PP under mpirun
# (1 + DP*PP ranks) on the CPU and with --device cuda, and passes when every
# step's loss agrees within 1e-4 relative. Why 1e-4 and not the CPU runs' 1e-5
# (train_matches_single.sh): the CUDA kernels match their CPU twins to ~1e-5
# relative per op in float32 (other summation orders), and ten steps of AdamW
# carry that drift into the weights. All ranks may share one GPU (local rank
# mod GPUs): their gradient sums then go through the host, not NCCL.
# Exits 77 (ctest: skipped) when this machine has no GPU, saying why.
set -euo pipefail
parcae=$1; dp=$2; pp=$3
ranks=$((1 + dp * pp))
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if ! "$parcae" train --model tiny --steps 1 --log-every 100 --device cuda 2>"$work/probe"; then
  if grep -q -- "--device cuda: " "$work/probe"; then
    echo "SKIP: no GPU here: $(grep -- '--device cuda: ' "$work/probe")"; exit 77
  fi
  cat "$work/probe"; exit 1
fi
# G = 12 sequences of B = 2: six micro-batches, so D = 2 splits them three and three.
args=(train --model tiny --steps 10 --global-batch 12 --micro-batch 2 --lr 3e-3 --warmup 2
      --seed 7 --eval-batches 2 --log-every 100 --dp "$dp" --pp "$pp")
for device in cpu cuda; do
  "${MPIRUN:-mpirun}" -np "$ranks" --oversubscribe "$parcae" "${args[@]}" --device "$device" \
    --metrics "$work/$device.jsonl" 2>"$work/$device.stderr" || { cat "$work/$device.stderr"; exit 1; }
done
grep -q "computes on cuda" "$work/cuda.stderr" || { echo "no rank said it computes on cuda"; cat "$work/cuda.stderr"; exit 1; }
losses() { grep -o '"loss": [^,}]*' "$1" | cut -d' ' -f2; }
paste <(losses "$work/cpu.jsonl") <(losses "$work/cuda.jsonl") | awk -v dp="$dp" -v pp="$pp" '
  { n++; d = $1 - $2; if (d < 0) d = -d; rel = d / ($1 < 0 ? -$1 : $1);
    if (rel > worst) worst = rel;
    if (rel > 1e-4) { printf "step %d: cpu %s vs cuda %s (rel %.2e)\n", n - 1, $1, $2, rel; bad = 1 } }
  END { if (n != 10) { print "expected 10 steps, got " n; exit 1 }
        printf "%dx%d on cuda: 10 steps, worst relative difference from the cpu %.2e\n", dp, pp, worst; exit bad }'
