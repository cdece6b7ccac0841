// AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization"): the
// decay shrinks the weight directly instead of joining the gradient, so it is
// not rescaled by Adam's per-coordinate step size.
#include <cmath>
#include <experimental/simd>

#include "parcae/kernels/cpu.hpp"
#include "parallel.hpp"

namespace parcae::kernels::cpu {

namespace stdx = std::experimental;

void adamw_update(float* params, const float* grads, float* m, float* v, std::int64_t N,
                  const AdamW& hp, std::int64_t step) {
  // Bias correction undoes the zero start of m and v (Adam, Kingma & Ba, §3);
  // computed in double once, since beta2^step underflows float precision slowly.
  const float inv_c1 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(hp.beta1), step)));
  const float inv_c2 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(hp.beta2), step)));
  const float b1 = hp.beta1, b2 = hp.beta2, lr = hp.lr, eps = hp.eps, wd = hp.weight_decay;
  // The update of one coordinate, or of a vector of them (the same formula,
  // so the vector body and the scalar tail give the same bits).
  const auto update = [=](auto p, auto g, auto& mi, auto& vi) {
    using std::sqrt;
    mi = b1 * mi + (1.0f - b1) * g;
    vi = b2 * vi + (1.0f - b2) * g * g;
    const auto m_hat = mi * inv_c1;
    const auto v_hat = vi * inv_c2;
    return p - lr * (m_hat / (sqrt(v_hat) + eps) + wd * p);
  };
  // Explicit vectors: the step touches 28 bytes per coordinate and should run
  // at memory speed, but a scalar square root and divide per coordinate cost
  // more than that, and the compiler will not vectorise std::sqrt while it may
  // set errno. (gpt2-124m, 163M coordinates, with the gradient norm: 0.87 s ->
  // 0.23 s on one core, docs/perf.md.)
  using Vec = stdx::native_simd<float>;
  constexpr std::int64_t W = Vec::size();
  const std::int64_t vec_end = N / W * W;
#pragma omp parallel for schedule(static) if (N >= kParallelMinElements)
  for (std::int64_t i = 0; i < vec_end; i += W) {
    Vec p(params + i, stdx::element_aligned), g(grads + i, stdx::element_aligned);
    Vec mi(m + i, stdx::element_aligned), vi(v + i, stdx::element_aligned);
    p = update(p, g, mi, vi);
    p.copy_to(params + i, stdx::element_aligned);
    mi.copy_to(m + i, stdx::element_aligned);
    vi.copy_to(v + i, stdx::element_aligned);
  }
  for (std::int64_t i = vec_end; i < N; ++i) params[i] = update(params[i], grads[i], m[i], v[i]);
}

}  // namespace parcae::kernels::cpu
