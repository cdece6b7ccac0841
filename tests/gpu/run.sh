#!/usr/bin/env bash
# What a GPU machine runs (issue 13's evidence), in one go:
#   1. configure with CUDA forced on and build for the local GPU's arch,
#   2. every GPU test: the CUDA kernels against their CPU twins (Cuda*), the
#      CUDA backend against the CPU backend (CudaBackend), --device checks,
#   3. the workshop (dev/cuda): the GEMM versions against cuBLAS at 4096^3 and
#      the attention versions at GPT-2 124M's size,
#   4. a gpt2-124m training step on the GPU (parcae bench step --device cuda),
#   5. parcae train --device cuda under mpirun (1x1, 2x1, 1x2, 2x2) against the CPU's losses,
# then a short table of what passed and the figures. Elsewhere it stops at
# once: without a GPU these tests only skip.
#   tests/gpu/run.sh [build-dir]      (default: build-gpu)
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-gpu}"
log="$build/gpu-run.log"

gpu="$(nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)"
if [[ -z "$gpu" ]]; then
  echo "tests/gpu/run.sh: nvidia-smi found no GPU; the CUDA tests would only skip" >&2
  exit 1
fi
# compute_cap "9.0" -> arch 90: build for this card only (fast), not 80;90.
arch="$(echo "$gpu" | cut -d, -f2 | tr -d ' .')"
mkdir -p "$build"
: > "$log"
declare -a rows
status=0
step() {  # step NAME COMMAND...: runs it, logs it, records pass/fail
  local name="$1"; shift
  echo "== $name: $*" >> "$log"
  if "$@" >> "$log" 2>&1; then rows+=("$name|ok"); else rows+=("$name|FAIL"); status=1; fi
}

step configure cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPARCAE_CUDA=ON \
  -DCMAKE_CUDA_ARCHITECTURES="$arch"
step build cmake --build "$build" -j"$(nproc)" --target parcae parcae_kernels_tests parcae_compute_tests
step "kernel tests" "$build/tests/parcae_kernels_tests" --gtest_filter='Cuda*'
step "backend tests" "$build/tests/parcae_compute_tests" --gtest_filter='CudaBackend*:DeviceChoice*:Decoder.Cuda*'
step "workshop build" make -C "$root/dev/cuda" ARCHS="-gencode arch=compute_$arch,code=sm_$arch"
step "GEMM 4096^3" "$root/dev/cuda/matmul_forward" 4096 4096 4096
step "attention 124M" "$root/dev/cuda/attention_forward" 8 1024 768 12
step "step gpt2-124m" "$build/parcae" bench step --device cuda --model gpt2-124m --micro-batch 8 \
  --seq 1024 --steps 5
# parcae train --device cuda under mpirun, D x P, losses against the CPU's
# (ranks share the GPUs by local rank; one GPU: every rank on it).
for shape in 1x1 2x1 1x2 2x2; do
  step "train cuda $shape" ctest --test-dir "$build" -R "^mpi\.train_cuda_$shape\$" \
    --output-on-failure --no-tests=error
done
step "train --device option" ctest --test-dir "$build" -R '^mpi\.train_device_option$' \
  --output-on-failure --no-tests=error
step "--device cuda rejected without GPU" env CUDA_VISIBLE_DEVICES= bash -c \
  "'$build/parcae' bench step --device cuda --model tiny --steps 1; test \$? -eq 2"

echo
echo "GPU: $gpu    ($(date -u +%Y-%m-%d))"
printf '%-36s %s\n' "check" "result"
for r in "${rows[@]}"; do printf '%-36s %s\n' "${r%%|*}" "${r##*|}"; done
echo
echo "-- figures (full log: $log)"
grep -E "^(cuBLAS|[123] )|ms/step|GFLOP/s =|\[  (PASSED|FAILED|SKIPPED) |on cuda: 10 steps" "$log"
exit "$status"
