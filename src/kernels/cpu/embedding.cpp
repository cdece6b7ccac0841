// Token + position embedding: the model's first op (see kernels/cpu.hpp).
#include <algorithm>

#include <omp.h>

#include "parcae/kernels/cpu.hpp"

namespace parcae::kernels::cpu {

void embedding_forward(float* out, const int* tokens, const float* wte, const float* wpe, int B,
                       int T, int C) {
#pragma omp parallel for collapse(2)
  for (int b = 0; b < B; ++b) {
    for (int t = 0; t < T; ++t) {
      float* out_bt = out + (static_cast<std::int64_t>(b) * T + t) * C;
      const float* wte_ix = wte + static_cast<std::int64_t>(tokens[b * T + t]) * C;
      const float* wpe_t = wpe + static_cast<std::int64_t>(t) * C;
      for (int i = 0; i < C; ++i) out_bt[i] = wte_ix[i] + wpe_t[i];
    }
  }
}

void embedding_backward(float* dwte, float* dwpe, const float* dout, const int* tokens, int B,
                        int T, int C) {
  // Differentiates: out_bt[i] = wte_ix[i] + wpe_t[i];
  // Two positions may hold the same token, so rows of dwte collide: each thread
  // owns a slice of the channels rather than a slice of the positions.
#pragma omp parallel
  {
    const int threads = omp_get_num_threads();
    const int chunk = (C + threads - 1) / threads;
    const int lo = std::min(C, omp_get_thread_num() * chunk);
    const int hi = std::min(C, lo + chunk);
    for (int b = 0; b < B; ++b) {
      for (int t = 0; t < T; ++t) {
        const float* dout_bt = dout + (static_cast<std::int64_t>(b) * T + t) * C;
        float* dwte_ix = dwte + static_cast<std::int64_t>(tokens[b * T + t]) * C;
        float* dwpe_t = dwpe + static_cast<std::int64_t>(t) * C;
        for (int i = lo; i < hi; ++i) {
          dwte_ix[i] += dout_bt[i];
          dwpe_t[i] += dout_bt[i];
        }
      }
    }
  }
}

}  // namespace parcae::kernels::cpu
