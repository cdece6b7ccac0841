// Matmul + bias: the linear layers, through CBLAS (OpenBLAS) SGEMM.
#include <vector>

#include <cblas.h>
#include <omp.h>

#include "parcae/kernels/cpu.hpp"

namespace parcae::kernels::cpu {

void matmul_forward(float* out, const float* inp, const float* weight, const float* bias, int N,
                    int C, int OC) {
  // out[N,OC] = inp[N,C] @ weight[OC,C]^T
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, OC, C, 1.0f, inp, C, weight, C, 0.0f,
              out, OC);
  if (bias == nullptr) return;
#pragma omp parallel for
  for (int n = 0; n < N; ++n) {
    float* row = out + static_cast<std::int64_t>(n) * OC;
    for (int o = 0; o < OC; ++o) row[o] += bias[o];
  }
}

void matmul_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                     const float* inp, const float* weight, int N, int C, int OC) {
  // Differentiates: out[N,OC] = inp[N,C] @ weight[OC,C]^T + bias
  // dinp[N,C] += dout[N,OC] @ weight[OC,C]
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, C, OC, 1.0f, dout, OC, weight, C,
              1.0f, dinp, C);
  // dweight[OC,C] += dout[N,OC]^T @ inp[N,C]
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, OC, C, N, 1.0f, dout, OC, inp, C, 1.0f,
              dweight, C);
  if (dbias == nullptr) return;
  // dbias[o] += sum_n dout[n,o]: per-thread partial sums, added in thread
  // order so the result does not depend on scheduling.
  const int threads = omp_get_max_threads();
  std::vector<float> partial(static_cast<std::size_t>(threads) * OC, 0.0f);
#pragma omp parallel num_threads(threads)
  {
    float* mine = partial.data() + static_cast<std::size_t>(omp_get_thread_num()) * OC;
#pragma omp for schedule(static)
    for (int n = 0; n < N; ++n) {
      const float* row = dout + static_cast<std::int64_t>(n) * OC;
      for (int o = 0; o < OC; ++o) mine[o] += row[o];
    }
  }
  for (int th = 0; th < threads; ++th)
    for (int o = 0; o < OC; ++o) dbias[o] += partial[static_cast<std::size_t>(th) * OC + o];
}

}  // namespace parcae::kernels::cpu
