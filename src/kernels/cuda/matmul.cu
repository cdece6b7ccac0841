// matmul + bias on the GPU: the twin of cpu/matmul.cpp, on the tiled GEMM of
// gemm.cuh (hand-written; cuBLAS serves only as a reference in dev/cuda).
#include <cstdint>

#include "check.cuh"
#include "gemm.cuh"
#include "parcae/kernels/cuda.hpp"

namespace parcae::kernels::cuda {

namespace {

// dbias[o] += sum_n dout[n,o]: one thread per column summing rows in order
// (the same bits every run); neighbouring threads read neighbouring columns.
__global__ void bias_backward_kernel(float* dbias, const float* dout, int N, int OC) {
  const int o = blockIdx.x * blockDim.x + threadIdx.x;
  if (o >= OC) return;
  float sum = 0.0f;
  for (int n = 0; n < N; ++n) sum += dout[std::int64_t{n} * OC + o];
  dbias[o] += sum;
}

}  // namespace

void matmul_forward(float* out, const float* inp, const float* weight, const float* bias, int N,
                    int C, int OC) {
  if (N == 0 || OC == 0) return;
  // out[N,OC] = inp[N,C] @ weight[OC,C]^T + bias
  gemm_tiled<false, true>(out, inp, weight, bias, N, OC, C, C, C, OC, false);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

void matmul_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                     const float* inp, const float* weight, int N, int C, int OC) {
  if (N == 0) return;
  // Differentiates: out[N,OC] = inp[N,C] @ weight[OC,C]^T + bias
  //   dinp[N,C] += dout[N,OC] @ weight[OC,C]
  gemm_tiled<false, false>(dinp, dout, weight, nullptr, N, C, OC, OC, C, C, true);
  PARCAE_CUDA_CHECK(cudaGetLastError());
  //   dweight[OC,C] += dout[N,OC]^T @ inp[N,C]
  gemm_tiled<true, false>(dweight, dout, inp, nullptr, OC, C, N, OC, C, C, true);
  PARCAE_CUDA_CHECK(cudaGetLastError());
  if (dbias == nullptr) return;
  bias_backward_kernel<<<(OC + kBlockSize - 1) / kBlockSize, kBlockSize>>>(dbias, dout, N, OC);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace parcae::kernels::cuda
