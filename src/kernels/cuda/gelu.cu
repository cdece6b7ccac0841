// GELU with the tanh approximation on the GPU: the twin of cpu/gelu.cpp.
// Element-wise and memory-bound: one grid-stride loop, one load and one store
// per element (the backward reads inp, dout and dinp, writes dinp).
#include <cstdint>

#include "check.cuh"
#include "parcae/kernels/cuda.hpp"
#include "parcae/kernels/tanh_rational.hpp"

namespace parcae::kernels::cuda {

namespace {

constexpr float kScale = 0.7978845608028654f;  // sqrt(2 / pi)
constexpr float kCubic = 0.044715f;

// The CPU twin's tanh (kernels/tanh_rational.hpp): one formula on both
// devices, rather than two approximations of tanh that differ by ulps.
__device__ float tanh_rational(float x) {
  return tanh_rational_clamped(fminf(fmaxf(x, -kTanhClamp), kTanhClamp));
}

__global__ void gelu_forward_kernel(float* out, const float* inp, std::int64_t N) {
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < N;
       i += std::int64_t{blockDim.x} * gridDim.x) {
    const float x = inp[i];
    out[i] = 0.5f * x * (1.0f + tanh_rational(kScale * (x + kCubic * x * x * x)));
  }
}

__global__ void gelu_backward_kernel(float* dinp, const float* dout, const float* inp,
                                     std::int64_t N) {
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < N;
       i += std::int64_t{blockDim.x} * gridDim.x) {
    // Differentiates: out = 0.5 x (1 + tanh(u)), u = kScale (x + kCubic x^3)
    const float x = inp[i];
    const float th = tanh_rational(kScale * (x + kCubic * x * x * x));
    const float local = 0.5f * (1.0f + th) +
                        0.5f * x * (1.0f - th * th) * kScale * (1.0f + 3.0f * kCubic * x * x);
    dinp[i] += local * dout[i];
  }
}

}  // namespace

void gelu_forward(float* out, const float* inp, std::int64_t N) {
  gelu_forward_kernel<<<grid_for(N), kBlockSize>>>(out, inp, N);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

void gelu_backward(float* dinp, const float* dout, const float* inp, std::int64_t N) {
  gelu_backward_kernel<<<grid_for(N), kBlockSize>>>(dinp, dout, inp, N);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace parcae::kernels::cuda
