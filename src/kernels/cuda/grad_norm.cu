// Gradient-norm clipping's two halves on the GPU: the twin of
// cpu/grad_norm.cpp. The sum of squares accumulates in double, as there: each
// block sums a fixed grid-stride share, the per-block partials come to the
// host and are added in block order, so a given N always gives the same bits.
#include <cstdint>
#include <vector>

#include "check.cuh"
#include "parcae/kernels/cuda.hpp"
#include "reduce.cuh"

namespace parcae::kernels::cuda {

namespace {

constexpr int kNormBlocks = 1024;

__global__ void sq_norm_partial_kernel(double* partial, const float* grads, std::int64_t N) {
  __shared__ double scratch[32];
  double sum = 0.0;
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < N;
       i += std::int64_t{blockDim.x} * gridDim.x)
    sum += static_cast<double>(grads[i]) * grads[i];
  sum = block_sum(sum, scratch);
  if (threadIdx.x == 0) partial[blockIdx.x] = sum;
}

__global__ void scale_kernel(float* x, std::int64_t N, float factor) {
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < N;
       i += std::int64_t{blockDim.x} * gridDim.x)
    x[i] *= factor;
}

}  // namespace

double grad_sq_norm(const float* grads, std::int64_t N) {
  double* d_partial = nullptr;
  PARCAE_CUDA_CHECK(cudaMalloc(&d_partial, kNormBlocks * sizeof(double)));
  sq_norm_partial_kernel<<<kNormBlocks, kBlockSize>>>(d_partial, grads, N);
  std::vector<double> partial(kNormBlocks);
  const cudaError_t launched = cudaGetLastError();
  const cudaError_t copied =
      cudaMemcpy(partial.data(), d_partial, kNormBlocks * sizeof(double), cudaMemcpyDeviceToHost);
  cudaFree(d_partial);
  PARCAE_CUDA_CHECK(launched);
  PARCAE_CUDA_CHECK(copied);
  double total = 0.0;
  for (double p : partial) total += p;
  return total;
}

void scale(float* x, std::int64_t N, float factor) {
  scale_kernel<<<grid_for(N), kBlockSize>>>(x, N, factor);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace parcae::kernels::cuda
