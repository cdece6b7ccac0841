#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: build with CUDA forced on and run the CUDA
# tests (the CUDA kernels against their CPU twins). Elsewhere these tests only
# report "no CUDA device" and skip.
#   tests/gpu/run.sh [build-dir]      (default: build-gpu)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-gpu}"

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || {
  echo "tests/gpu/run.sh: nvidia-smi found no GPU; the CUDA tests would only skip" >&2
  exit 1
}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPARCAE_CUDA=ON
cmake --build "$build" -j"$(nproc)" --target parcae_kernels_tests
# Test names are Suite.Case; the CUDA suites are Cuda*.
cd "$build" && ctest -R '[Cc]uda' --output-on-failure --no-tests=error
