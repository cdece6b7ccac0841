// Causal multi-head self-attention on the GPU: the twin of cpu/attention.cpp,
// correct first. It keeps the same saved state as the CPU (the probabilities
// [B,NH,T,T], zero past the diagonal), so the two compare element by element;
// the backward takes a T x T scratch per (batch, head) for d scores. The fused,
// memory-efficient version (one log-sum-exp per row, no T x T in global
// memory) is still to come, grown in dev/cuda first.
// Layout (kernels/cpu.hpp): inp[B,T,3C] = q, k, v side by side; out[B,T,C].
#include <cmath>
#include <cstdint>

#include "check.cuh"
#include "parcae/kernels/cuda.hpp"
#include "reduce.cuh"

namespace parcae::kernels::cuda {

namespace {

constexpr int kRowThreads = 128;

// Pointers to one head's row t of q, k or v (part 0, 1, 2) in inp[B,T,3C].
__device__ const float* qkv_row(const float* inp, int b, int t, int part, int h, int T, int C,
                                int hs) {
  return inp + (std::int64_t{b} * T + t) * 3 * C + part * C + h * hs;
}

// The coordinates of element i of a [B,T,C] tensor, with C split into heads.
struct Position {
  int b, t, c, h, d;
};

__device__ Position position_of(std::int64_t i, int T, int C, int hs) {
  const int c = static_cast<int>(i % C);
  return {static_cast<int>(i / (std::int64_t{C} * T)), static_cast<int>(i / C % T), c, c / hs,
          c % hs};
}

__device__ float dot(const float* x, const float* y, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; ++i) s += x[i] * y[i];
  return s;
}

// One block per (row t, batch-head): scores, causal softmax, into att's row.
// Each thread only rereads the columns it wrote itself.
__global__ void attention_softmax_kernel(float* att, const float* inp, int T, int C, int NH,
                                         float scale) {
  __shared__ float scratch[32];
  const int t = blockIdx.x, bh = blockIdx.y, b = bh / NH, h = bh % NH, hs = C / NH;
  float* row = att + (std::int64_t{bh} * T + t) * T;
  const float* q = qkv_row(inp, b, t, 0, h, T, C, hs);
  float maxval = -INFINITY;
  for (int t2 = threadIdx.x; t2 <= t; t2 += blockDim.x) {
    const float s = scale * dot(q, qkv_row(inp, b, t2, 1, h, T, C, hs), hs);
    row[t2] = s;
    maxval = fmaxf(maxval, s);
  }
  maxval = block_max(maxval, scratch);
  float sum = 0.0f;
  for (int t2 = threadIdx.x; t2 <= t; t2 += blockDim.x) {
    const float e = expf(row[t2] - maxval);
    row[t2] = e;
    sum += e;
  }
  const float inv = 1.0f / block_sum(sum, scratch);
  for (int t2 = threadIdx.x; t2 < T; t2 += blockDim.x) row[t2] = t2 <= t ? row[t2] * inv : 0.0f;
}

// out[b,t,h*hs+d] = sum_{t2<=t} att[b,h,t,t2] v[b,t2,h*hs+d]: a thread per output.
__global__ void attention_values_kernel(float* out, const float* att, const float* inp, int B,
                                        int T, int C, int NH) {
  const std::int64_t total = std::int64_t{B} * T * C;
  const int hs = C / NH;
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < total;
       i += std::int64_t{blockDim.x} * gridDim.x) {
    const auto [b, t, c, h, d] = position_of(i, T, C, hs);
    const float* a = att + ((std::int64_t{b} * NH + h) * T + t) * T;
    float s = 0.0f;
    for (int t2 = 0; t2 <= t; ++t2) s += a[t2] * qkv_row(inp, b, t2, 2, h, T, C, hs)[d];
    out[i] = s;
  }
}

// Differentiates out = att v and the row softmax, one block per (t, bh):
//   datt[t2] = dout_t . v_t2;  dscore[t2] = att[t2] (datt[t2] - sum_j att[j] datt[j])
// (zero past the diagonal, where att is zero).
__global__ void attention_dscore_kernel(float* dscore, const float* att, const float* dout,
                                        const float* inp, int T, int C, int NH) {
  __shared__ float scratch[32];
  const int t = blockIdx.x, bh = blockIdx.y, b = bh / NH, h = bh % NH, hs = C / NH;
  const std::int64_t row_at = (std::int64_t{bh} * T + t) * T;
  const float* a = att + row_at;
  float* ds = dscore + row_at;
  const float* dy = dout + (std::int64_t{b} * T + t) * C + h * hs;
  float att_dot_datt = 0.0f;
  for (int t2 = threadIdx.x; t2 <= t; t2 += blockDim.x) {
    const float datt = dot(dy, qkv_row(inp, b, t2, 2, h, T, C, hs), hs);
    ds[t2] = datt;
    att_dot_datt += a[t2] * datt;
  }
  att_dot_datt = block_sum(att_dot_datt, scratch);
  for (int t2 = threadIdx.x; t2 < T; t2 += blockDim.x)
    ds[t2] = t2 <= t ? a[t2] * (ds[t2] - att_dot_datt) : 0.0f;
}

// Differentiates scores = scale q k^T and out = att v, a thread per (b, t, c):
//   dq[t]  += scale sum_{t2<=t} dscore[t,t2] k[t2]
//   dk[t]  += scale sum_{t3>=t} dscore[t3,t] q[t3]
//   dv[t]  +=       sum_{t3>=t} att[t3,t] dout[t3]
// Each thread owns its three outputs: no atomics, the same bits every run.
__global__ void attention_dqkv_kernel(float* dinp, const float* dscore, const float* att,
                                      const float* dout, const float* inp, int B, int T, int C,
                                      int NH, float scale) {
  const std::int64_t total = std::int64_t{B} * T * C;
  const int hs = C / NH;
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < total;
       i += std::int64_t{blockDim.x} * gridDim.x) {
    const auto [b, t, c, h, d] = position_of(i, T, C, hs);
    const std::int64_t bh_at = (std::int64_t{b} * NH + h) * T * T;
    float dq = 0.0f, dk = 0.0f, dv = 0.0f;
    for (int t2 = 0; t2 <= t; ++t2)
      dq += dscore[bh_at + std::int64_t{t} * T + t2] * qkv_row(inp, b, t2, 1, h, T, C, hs)[d];
    for (int t3 = t; t3 < T; ++t3) {
      const std::int64_t at = bh_at + std::int64_t{t3} * T + t;
      dk += dscore[at] * qkv_row(inp, b, t3, 0, h, T, C, hs)[d];
      dv += att[at] * dout[(std::int64_t{b} * T + t3) * C + c];
    }
    float* dqkv = dinp + (std::int64_t{b} * T + t) * 3 * C + c;
    dqkv[0] += scale * dq;
    dqkv[C] += scale * dk;
    dqkv[2 * C] += dv;
  }
}

}  // namespace

void attention_forward(float* out, float* att, const float* inp, int B, int T, int C, int NH) {
  if (B == 0 || T == 0) return;
  const float scale = 1.0f / std::sqrt(static_cast<float>(C / NH));
  attention_softmax_kernel<<<dim3(T, B * NH), kRowThreads>>>(att, inp, T, C, NH, scale);
  PARCAE_CUDA_CHECK(cudaGetLastError());
  const std::int64_t total = std::int64_t{B} * T * C;
  attention_values_kernel<<<grid_for(total), kBlockSize>>>(out, att, inp, B, T, C, NH);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

void attention_backward(float* dinp, const float* dout, const float* inp, const float* /*out*/,
                        const float* att, int B, int T, int C, int NH) {
  if (B == 0 || T == 0) return;
  const float scale = 1.0f / std::sqrt(static_cast<float>(C / NH));
  float* dscore = nullptr;
  PARCAE_CUDA_CHECK(cudaMalloc(&dscore, sizeof(float) * B * NH * T * T));
  attention_dscore_kernel<<<dim3(T, B * NH), kRowThreads>>>(dscore, att, dout, inp, T, C, NH);
  cudaError_t err = cudaGetLastError();
  if (err == cudaSuccess) {
    const std::int64_t total = std::int64_t{B} * T * C;
    attention_dqkv_kernel<<<grid_for(total), kBlockSize>>>(dinp, dscore, att, dout, inp, B, T,
                                                           C, NH, scale);
    err = cudaGetLastError();
  }
  // cudaFree waits for the kernels that use the scratch; a failure of either
  // is reported after it is freed.
  const cudaError_t freed = cudaFree(dscore);
  PARCAE_CUDA_CHECK(err);
  PARCAE_CUDA_CHECK(freed);
}

}  // namespace parcae::kernels::cuda
