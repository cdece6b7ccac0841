#pragma once
// Warp and block reductions shared by the row kernels (layernorm, softmax,
// cross-entropy, attention, gradient norm). A block is at most 1024 threads,
// 32 warps: the second stage fits one warp.
#include <cuda_runtime.h>

namespace parcae::kernels::cuda {

template <class T>
__device__ T warp_sum(T x) {
  for (int offset = 16; offset > 0; offset /= 2) x += __shfl_xor_sync(0xffffffffu, x, offset);
  return x;
}

__device__ inline float warp_max(float x) {
  for (int offset = 16; offset > 0; offset /= 2)
    x = fmaxf(x, __shfl_xor_sync(0xffffffffu, x, offset));
  return x;
}

// Every thread of the block gets the block's total. `scratch` holds 32 values;
// the call begins with a barrier, so one scratch serves consecutive reductions.
template <class T>
__device__ T block_sum(T x, T* scratch) {
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32, warps = (blockDim.x + 31) / 32;
  x = warp_sum(x);
  __syncthreads();
  if (lane == 0) scratch[warp] = x;
  __syncthreads();
  x = lane < warps ? scratch[lane] : T(0);
  return warp_sum(x);
}

__device__ inline float block_max(float x, float* scratch) {
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32, warps = (blockDim.x + 31) / 32;
  x = warp_max(x);
  __syncthreads();
  if (lane == 0) scratch[warp] = x;
  __syncthreads();
  x = lane < warps ? scratch[lane] : -INFINITY;
  return warp_max(x);
}

}  // namespace parcae::kernels::cuda
