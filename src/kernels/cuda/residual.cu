// Residual add on the GPU: the twin of cpu/residual.cpp.
#include <cstdint>

#include "check.cuh"
#include "parcae/kernels/cuda.hpp"

namespace parcae::kernels::cuda {

namespace {

__global__ void residual_forward_kernel(float* out, const float* inp1, const float* inp2,
                                        std::int64_t N) {
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < N;
       i += std::int64_t{blockDim.x} * gridDim.x)
    out[i] = inp1[i] + inp2[i];
}

__global__ void residual_backward_kernel(float* dinp1, float* dinp2, const float* dout,
                                         std::int64_t N) {
  // Differentiates: out[i] = inp1[i] + inp2[i];
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < N;
       i += std::int64_t{blockDim.x} * gridDim.x) {
    dinp1[i] += dout[i];
    dinp2[i] += dout[i];
  }
}

}  // namespace

void residual_forward(float* out, const float* inp1, const float* inp2, std::int64_t N) {
  residual_forward_kernel<<<grid_for(N), kBlockSize>>>(out, inp1, inp2, N);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

void residual_backward(float* dinp1, float* dinp2, const float* dout, std::int64_t N) {
  residual_backward_kernel<<<grid_for(N), kBlockSize>>>(dinp1, dinp2, dout, N);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace parcae::kernels::cuda
