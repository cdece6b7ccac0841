// Token + position embedding on the GPU: the twin of cpu/embedding.cpp.
#include <cstdint>

#include "check.cuh"
#include "parcae/kernels/cuda.hpp"

namespace parcae::kernels::cuda {

namespace {

// One thread per output element; neighbouring threads read neighbouring
// channels of one row of wte and wpe (coalesced).
__global__ void embedding_forward_kernel(float* out, const int* tokens, const float* wte,
                                         const float* wpe, int T, int C, std::int64_t total) {
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < total;
       i += std::int64_t{blockDim.x} * gridDim.x) {
    const std::int64_t bt = i / C;
    const int c = static_cast<int>(i % C), t = static_cast<int>(bt % T);
    out[i] = wte[std::int64_t{tokens[bt]} * C + c] + wpe[std::int64_t{t} * C + c];
  }
}

// Differentiates: out[b,t,c] = wte[tokens[b,t], c] + wpe[t, c].
// Positions that share a token hit the same dwte row, so those adds are
// atomic (their order, hence the last bits, varies from run to run); the
// dwpe adds collide across the batch, atomic too.
__global__ void embedding_backward_kernel(float* dwte, float* dwpe, const float* dout,
                                          const int* tokens, int T, int C, std::int64_t total) {
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < total;
       i += std::int64_t{blockDim.x} * gridDim.x) {
    const std::int64_t bt = i / C;
    const int c = static_cast<int>(i % C), t = static_cast<int>(bt % T);
    atomicAdd(dwte + std::int64_t{tokens[bt]} * C + c, dout[i]);
    atomicAdd(dwpe + std::int64_t{t} * C + c, dout[i]);
  }
}

}  // namespace

void embedding_forward(float* out, const int* tokens, const float* wte, const float* wpe, int B,
                       int T, int C) {
  const std::int64_t total = std::int64_t{B} * T * C;
  embedding_forward_kernel<<<grid_for(total), kBlockSize>>>(out, tokens, wte, wpe, T, C, total);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

void embedding_backward(float* dwte, float* dwpe, const float* dout, const int* tokens, int B,
                        int T, int C) {
  const std::int64_t total = std::int64_t{B} * T * C;
  embedding_backward_kernel<<<grid_for(total), kBlockSize>>>(dwte, dwpe, dout, tokens, T, C,
                                                             total);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace parcae::kernels::cuda
