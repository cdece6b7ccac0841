// AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization"): the
// decay shrinks the weight directly instead of joining the gradient, so it is
// not rescaled by Adam's per-coordinate step size.
#include <cmath>

#include "parcae/kernels/cpu.hpp"

namespace parcae::kernels::cpu {

void adamw_update(float* params, const float* grads, float* m, float* v, std::int64_t N,
                  const AdamW& hp, std::int64_t step) {
  // Bias correction undoes the zero start of m and v (Adam, Kingma & Ba, §3);
  // computed in double once, since beta2^step underflows float precision slowly.
  const float c1 = static_cast<float>(1.0 - std::pow(static_cast<double>(hp.beta1), step));
  const float c2 = static_cast<float>(1.0 - std::pow(static_cast<double>(hp.beta2), step));
#pragma omp parallel for simd
  for (std::int64_t i = 0; i < N; ++i) {
    const float g = grads[i];
    m[i] = hp.beta1 * m[i] + (1.0f - hp.beta1) * g;
    v[i] = hp.beta2 * v[i] + (1.0f - hp.beta2) * g * g;
    const float m_hat = m[i] / c1;
    const float v_hat = v[i] / c2;
    params[i] -= hp.lr * (m_hat / (std::sqrt(v_hat) + hp.eps) + hp.weight_decay * params[i]);
  }
}

}  // namespace parcae::kernels::cpu
