// Softmax over the vocabulary fused with the cross-entropy loss: the fused
// backward is simply probs - onehot, cheaper and more accurate than chaining
// the two ops' backwards.
#include <cmath>

#include "parcae/kernels/cpu.hpp"

namespace parcae::kernels::cpu {

void crossentropy_softmax_forward(float* losses, float* probs, const float* logits,
                                  const int* targets, int N, int V, int Vp) {
#pragma omp parallel for
  for (int n = 0; n < N; ++n) {
    const float* z = logits + static_cast<std::int64_t>(n) * Vp;
    float* p = probs + static_cast<std::int64_t>(n) * Vp;
    const float z_target = z[targets[n]];  // read before p (which may alias z) is written
    float maxval = -INFINITY;
    // A comparison, not std::fmax: fmax is a libm call per logit here (its
    // NaN rule stops the compiler inlining it), 50k calls per position.
    for (int i = 0; i < V; ++i) maxval = z[i] > maxval ? z[i] : maxval;
    float sum = 0.0f;
    for (int i = 0; i < V; ++i) {
      p[i] = std::exp(z[i] - maxval);
      sum += p[i];
    }
    const float inv = 1.0f / sum;
    for (int i = 0; i < V; ++i) p[i] *= inv;
    for (int i = V; i < Vp; ++i) p[i] = 0.0f;
    // log-sum-exp rather than -log(p[target]): stays accurate when p is tiny.
    losses[n] = std::log(sum) + maxval - z_target;
  }
}

void crossentropy_softmax_backward(float* dlogits, const float* dlosses, float dloss,
                                   const float* probs, const int* targets, int N, int V, int Vp) {
  // Differentiates: losses[n] = log(sum exp z) - z[target]:
  //   dz[i] = dloss * (p[i] - [i == target]); the padded columns get nothing.
#pragma omp parallel for
  for (int n = 0; n < N; ++n) {
    const float* p = probs + static_cast<std::int64_t>(n) * Vp;
    float* dz = dlogits + static_cast<std::int64_t>(n) * Vp;
    const float d = dlosses != nullptr ? dlosses[n] : dloss;
    for (int i = 0; i < V; ++i) dz[i] += d * p[i];
    dz[targets[n]] -= d;
  }
}

}  // namespace parcae::kernels::cpu
