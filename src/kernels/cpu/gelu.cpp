// GELU with the tanh approximation, as GPT-2 uses it.
#include <cmath>
#include <numbers>

#include "parcae/kernels/cpu.hpp"

namespace parcae::kernels::cpu {

namespace {
const float kScale = std::sqrt(2.0f / std::numbers::pi_v<float>);
constexpr float kCubic = 0.044715f;
}  // namespace

void gelu_forward(float* out, const float* inp, std::int64_t N) {
#pragma omp parallel for simd
  for (std::int64_t i = 0; i < N; ++i) {
    const float x = inp[i];
    out[i] = 0.5f * x * (1.0f + std::tanh(kScale * (x + kCubic * x * x * x)));
  }
}

void gelu_backward(float* dinp, const float* dout, const float* inp, std::int64_t N) {
  // Differentiates: out = 0.5 x (1 + tanh(u)), u = kScale (x + kCubic x^3):
  //   dout/dx = 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) kScale (1 + 3 kCubic x^2).
#pragma omp parallel for simd
  for (std::int64_t i = 0; i < N; ++i) {
    const float x = inp[i];
    const float th = std::tanh(kScale * (x + kCubic * x * x * x));
    const float local = 0.5f * (1.0f + th) +
                        0.5f * x * (1.0f - th * th) * kScale * (1.0f + 3.0f * kCubic * x * x);
    dinp[i] += local * dout[i];
  }
}

}  // namespace parcae::kernels::cpu
