// LayerNorm on the GPU: the twin of cpu/layernorm.cpp (same two-pass mean and
// variance, same epsilon). One block of kRowThreads per row: the row's
// reductions are block sums, its elements are read with a stride of the block.
#include <cstdint>

#include "check.cuh"
#include "parcae/kernels/cuda.hpp"
#include "reduce.cuh"

namespace parcae::kernels::cuda {

namespace {

constexpr float kEps = 1e-5f;  // GPT-2's layer_norm_epsilon, as the CPU twin
constexpr int kRowThreads = 256;

__global__ void layernorm_forward_kernel(float* out, float* mean, float* rstd, const float* inp,
                                         const float* weight, const float* bias, int C) {
  __shared__ float scratch[32];
  const std::int64_t row = blockIdx.x;
  const float* x = inp + row * C;
  float sum = 0.0f;
  for (int i = threadIdx.x; i < C; i += blockDim.x) sum += x[i];
  const float m = block_sum(sum, scratch) / C;
  float var = 0.0f;  // two passes, as the CPU: no cancellation of E[x^2] - E[x]^2
  for (int i = threadIdx.x; i < C; i += blockDim.x) var += (x[i] - m) * (x[i] - m);
  const float s = rsqrtf(block_sum(var, scratch) / C + kEps);
  float* y = out + row * C;
  for (int i = threadIdx.x; i < C; i += blockDim.x) y[i] = (x[i] - m) * s * weight[i] + bias[i];
  if (threadIdx.x == 0) {
    mean[row] = m;
    rstd[row] = s;
  }
}

// Differentiates: y[i] = (x[i] - m) * s * weight[i] + bias[i]; with
// norm = (x - m) s and dnorm = dout * weight:
//   dx = s (dnorm - mean(dnorm) - norm * mean(dnorm * norm)).
__global__ void layernorm_backward_input_kernel(float* dinp, const float* dout, const float* inp,
                                                const float* weight, const float* mean,
                                                const float* rstd, int C) {
  __shared__ float scratch[32];
  const std::int64_t row = blockIdx.x;
  const float* x = inp + row * C;
  const float* dy = dout + row * C;
  const float m = mean[row], s = rstd[row];
  float dnorm_sum = 0.0f, dnorm_norm_sum = 0.0f;
  for (int i = threadIdx.x; i < C; i += blockDim.x) {
    const float dnorm = weight[i] * dy[i];
    dnorm_sum += dnorm;
    dnorm_norm_sum += dnorm * (x[i] - m) * s;
  }
  const float dnorm_mean = block_sum(dnorm_sum, scratch) / C;
  const float dnorm_norm_mean = block_sum(dnorm_norm_sum, scratch) / C;
  float* dx = dinp + row * C;
  for (int i = threadIdx.x; i < C; i += blockDim.x) {
    const float norm = (x[i] - m) * s;
    dx[i] += s * (weight[i] * dy[i] - dnorm_mean - norm * dnorm_norm_mean);
  }
}

// dweight[i] += sum_n norm[n,i] dout[n,i], dbias[i] += sum_n dout[n,i]: one
// thread per channel summing the rows in order (no atomics: the same bits
// every run); neighbouring threads read neighbouring channels.
__global__ void layernorm_backward_params_kernel(float* dweight, float* dbias, const float* dout,
                                                 const float* inp, const float* mean,
                                                 const float* rstd, int N, int C) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= C) return;
  float dw = 0.0f, db = 0.0f;
  for (int n = 0; n < N; ++n) {
    const std::int64_t at = std::int64_t{n} * C + i;
    db += dout[at];
    dw += (inp[at] - mean[n]) * rstd[n] * dout[at];
  }
  dweight[i] += dw;
  dbias[i] += db;
}

}  // namespace

void layernorm_forward(float* out, float* mean, float* rstd, const float* inp,
                       const float* weight, const float* bias, int N, int C) {
  if (N == 0) return;
  layernorm_forward_kernel<<<N, kRowThreads>>>(out, mean, rstd, inp, weight, bias, C);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                        const float* inp, const float* weight, const float* mean,
                        const float* rstd, int N, int C) {
  if (N == 0) return;
  layernorm_backward_input_kernel<<<N, kRowThreads>>>(dinp, dout, inp, weight, mean, rstd, C);
  PARCAE_CUDA_CHECK(cudaGetLastError());
  layernorm_backward_params_kernel<<<(C + kBlockSize - 1) / kBlockSize, kBlockSize>>>(
      dweight, dbias, dout, inp, mean, rstd, N, C);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace parcae::kernels::cuda
