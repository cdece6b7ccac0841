// Causal attention for one new query position over cached keys and values on
// the GPU: the twin of cpu/attention_decode.cpp (layout in kernels/cpu.hpp).
// One block per head: each thread scores a strided share of the cached
// positions into shared memory, the block reduces max and sum, then each
// thread sums the probability-weighted values of its share of the head's
// channels. A decode step is latency-bound (a few heads, T <= 1024), so one
// small kernel without atomics is what it needs.
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "check.cuh"
#include "parcae/kernels/cuda.hpp"
#include "reduce.cuh"

namespace parcae::kernels::cuda {

namespace {

constexpr int kDecodeThreads = 128;
constexpr int kMaxDecodePositions = 48 * 1024 / sizeof(float);  // default shared memory

__global__ void attention_decode_kernel(float* out, const float* q, const float* k_cache,
                                        const float* v_cache, int T, int C, int hs, float scale) {
  extern __shared__ float p[];  // [T]
  __shared__ float scratch[32];
  const int h = blockIdx.x;
  const float* qh = q + h * hs;
  float maxval = -INFINITY;
  for (int t2 = threadIdx.x; t2 < T; t2 += blockDim.x) {
    const float* k = k_cache + std::int64_t{t2} * C + h * hs;
    float s = 0.0f;
    for (int i = 0; i < hs; ++i) s += qh[i] * k[i];
    p[t2] = scale * s;
    maxval = fmaxf(maxval, p[t2]);
  }
  maxval = block_max(maxval, scratch);
  float sum = 0.0f;
  for (int t2 = threadIdx.x; t2 < T; t2 += blockDim.x) {
    p[t2] = expf(p[t2] - maxval);
    sum += p[t2];
  }
  // block_sum begins with a barrier: every p[t2] is written before any thread reads them all.
  const float inv = 1.0f / block_sum(sum, scratch);
  for (int i = threadIdx.x; i < hs; i += blockDim.x) {
    float o = 0.0f;
    for (int t2 = 0; t2 < T; ++t2) o += p[t2] * v_cache[std::int64_t{t2} * C + h * hs + i];
    out[h * hs + i] = o * inv;
  }
}

}  // namespace

void attention_decode_forward(float* out, const float* q, const float* k_cache,
                              const float* v_cache, int T, int C, int NH) {
  if (T <= 0) return;
  if (T > kMaxDecodePositions)
    throw std::invalid_argument("cuda::attention_decode_forward: " + std::to_string(T) +
                                " cached positions exceed the " +
                                std::to_string(kMaxDecodePositions) + " shared memory holds");
  const float scale = 1.0f / std::sqrt(static_cast<float>(C / NH));
  attention_decode_kernel<<<NH, kDecodeThreads, sizeof(float) * T>>>(out, q, k_cache, v_cache, T,
                                                                     C, C / NH, scale);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace parcae::kernels::cuda
