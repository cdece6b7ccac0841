#!/usr/bin/env bash
# train_device_option.sh PARCAE: `parcae train --device` under mpirun.
#   - cuda where no GPU is seen (CUDA_VISIBLE_DEVICES empty hides every GPU,
#     so this runs on GPU machines too): exit 2, the reason printed once;
#   - a word other than auto|cpu|cuda: exit 2 naming the option;
#   - cuda in an elastic run: exit 2 (the elastic path trains on the CPU);
#   - --device cpu trains exactly what the default trains, bit for bit
#     (losses, gradient norms, validation losses of a 2 x 2 job).
set -euo pipefail
parcae=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
tiny=(train --model tiny --steps 2 --log-every 100)
CUDA_VISIBLE_DEVICES= "$here/rejects.sh" "$parcae" 3 "^parcae: --device cuda: no CUDA" \
  "${tiny[@]}" --device cuda
"$here/rejects.sh" "$parcae" 3 "^parcae: --device 'gpu': expected auto, cpu or cuda" \
  "${tiny[@]}" --device gpu
"$here/rejects.sh" "$parcae" 3 "^parcae: --device cuda does not apply to an elastic run" \
  "${tiny[@]}" --elastic --device cuda

args=(train --model tiny --steps 6 --global-batch 8 --micro-batch 2 --lr 3e-3 --warmup 2 --seed 3
      --eval-every 3 --eval-batches 2 --log-every 100 --dp 2 --pp 2)
"${MPIRUN:-mpirun}" -np 5 --oversubscribe "$parcae" "${args[@]}" --metrics "$work/default.jsonl" \
  2>"$work/stderr" || { cat "$work/stderr"; exit 1; }
"${MPIRUN:-mpirun}" -np 5 --oversubscribe "$parcae" "${args[@]}" --device cpu \
  --metrics "$work/cpu.jsonl" 2>"$work/stderr" || { cat "$work/stderr"; exit 1; }
# What is computed, every digit JSON keeps; not the timings.
figures() { grep -oE '"(step|loss|grad_norm|val_loss|lr)": [^,}]*' "$1"; }
[ "$(figures "$work/default.jsonl" | grep -c loss)" -ge 6 ] || { echo "no losses in the metrics"; exit 1; }
if ! diff <(figures "$work/default.jsonl") <(figures "$work/cpu.jsonl"); then
  echo "--device cpu trained something other than the default"; exit 1
fi
echo "--device cpu: $(figures "$work/cpu.jsonl" | grep -c '"loss"') records equal to the default's, bit for bit"
