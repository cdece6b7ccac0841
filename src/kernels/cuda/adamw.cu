// AdamW on the GPU: the twin of cpu/adamw.cpp, the same per-coordinate formula
// (bias corrections computed once on the host in double, as there).
#include <cmath>
#include <cstdint>

#include "check.cuh"
#include "parcae/kernels/cuda.hpp"

namespace parcae::kernels::cuda {

namespace {

__global__ void adamw_kernel(float* params, const float* grads, float* m, float* v,
                             std::int64_t N, float lr, float b1, float b2, float eps, float wd,
                             float inv_c1, float inv_c2) {
  for (std::int64_t i = blockIdx.x * std::int64_t{blockDim.x} + threadIdx.x; i < N;
       i += std::int64_t{blockDim.x} * gridDim.x) {
    const float g = grads[i], p = params[i];
    const float mi = b1 * m[i] + (1.0f - b1) * g;
    const float vi = b2 * v[i] + (1.0f - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] = p - lr * ((mi * inv_c1) / (sqrtf(vi * inv_c2) + eps) + wd * p);
  }
}

}  // namespace

void adamw_update(float* params, const float* grads, float* m, float* v, std::int64_t N,
                  const AdamW& hp, std::int64_t step) {
  const float inv_c1 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(hp.beta1), step)));
  const float inv_c2 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(hp.beta2), step)));
  adamw_kernel<<<grid_for(N), kBlockSize>>>(params, grads, m, v, N, hp.lr, hp.beta1, hp.beta2,
                                            hp.eps, hp.weight_decay, inv_c1, inv_c2);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace parcae::kernels::cuda
