// Residual add: the skip connections around attention and the MLP.
#include "parcae/kernels/cpu.hpp"
#include "parallel.hpp"

namespace parcae::kernels::cpu {

void residual_forward(float* out, const float* inp1, const float* inp2, std::int64_t N) {
#pragma omp parallel for simd if (parallel : N >= kParallelMinElements)
  for (std::int64_t i = 0; i < N; ++i) out[i] = inp1[i] + inp2[i];
}

void residual_backward(float* dinp1, float* dinp2, const float* dout, std::int64_t N) {
  // Differentiates: out[i] = inp1[i] + inp2[i];
#pragma omp parallel for simd if (parallel : N >= kParallelMinElements)
  for (std::int64_t i = 0; i < N; ++i) {
    dinp1[i] += dout[i];
    dinp2[i] += dout[i];
  }
}

}  // namespace parcae::kernels::cpu
