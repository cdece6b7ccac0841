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
  // The step is memory-bound only if the arithmetic is cheap: one divide and
  // one square root per coordinate (the corrections become multiplies), and
  // the hyperparameters in locals, which the compiler cannot otherwise keep in
  // registers across the stores into the (possibly aliasing) arrays.
  const float inv_c1 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(hp.beta1), step)));
  const float inv_c2 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(hp.beta2), step)));
  const float b1 = hp.beta1, b2 = hp.beta2, lr = hp.lr, eps = hp.eps, wd = hp.weight_decay;
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < N; ++i) {
    const float g = grads[i];
    const float mi = b1 * m[i] + (1.0f - b1) * g;
    const float vi = b2 * v[i] + (1.0f - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const float m_hat = mi * inv_c1;
    const float v_hat = vi * inv_c2;
    params[i] -= lr * (m_hat / (std::sqrt(v_hat) + eps) + wd * params[i]);
  }
}

}  // namespace parcae::kernels::cpu
