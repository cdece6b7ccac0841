// LayerNorm over the channels of each position (see kernels/cpu.hpp).
#include <cmath>
#include <vector>

#include <omp.h>

#include "parcae/kernels/cpu.hpp"

namespace parcae::kernels::cpu {

namespace {
constexpr float kEps = 1e-5f;  // GPT-2's layer_norm_epsilon
}

void layernorm_forward(float* out, float* mean, float* rstd, const float* inp,
                       const float* weight, const float* bias, int N, int C) {
#pragma omp parallel for
  for (int n = 0; n < N; ++n) {
    const float* x = inp + static_cast<std::int64_t>(n) * C;
    float sum = 0.0f;
    for (int i = 0; i < C; ++i) sum += x[i];
    const float m = sum / C;
    float var = 0.0f;  // two passes: no cancellation of E[x^2] - E[x]^2
    for (int i = 0; i < C; ++i) var += (x[i] - m) * (x[i] - m);
    const float s = 1.0f / std::sqrt(var / C + kEps);
    float* y = out + static_cast<std::int64_t>(n) * C;
    for (int i = 0; i < C; ++i) y[i] = (x[i] - m) * s * weight[i] + bias[i];
    mean[n] = m;
    rstd[n] = s;
  }
}

void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                        const float* inp, const float* weight, const float* mean,
                        const float* rstd, int N, int C) {
  // Differentiates: y[i] = (x[i] - m) * s * weight[i] + bias[i];
  // with norm = (x - m) * s, dnorm = dout * weight:
  //   dx = s * (dnorm - mean(dnorm) - norm * mean(dnorm * norm)).
  // dweight and dbias sum over all rows: each thread sums its rows privately
  // and the partial sums are added in thread order at the end, so the result
  // does not depend on which thread finishes first.
  const int threads = omp_get_max_threads();
  std::vector<float> partial(2 * static_cast<std::size_t>(threads) * C, 0.0f);
#pragma omp parallel num_threads(threads)
  {
    float* dw = partial.data() + 2 * static_cast<std::size_t>(omp_get_thread_num()) * C;
    float* db = dw + C;
#pragma omp for schedule(static)
    for (int n = 0; n < N; ++n) {
      const float* x = inp + static_cast<std::int64_t>(n) * C;
      const float* dy = dout + static_cast<std::int64_t>(n) * C;
      float* dx = dinp + static_cast<std::int64_t>(n) * C;
      const float m = mean[n], s = rstd[n];
      float dnorm_mean = 0.0f, dnorm_norm_mean = 0.0f;
      for (int i = 0; i < C; ++i) {
        const float norm = (x[i] - m) * s;
        const float dnorm = weight[i] * dy[i];
        dnorm_mean += dnorm;
        dnorm_norm_mean += dnorm * norm;
        db[i] += dy[i];
        dw[i] += norm * dy[i];
      }
      dnorm_mean /= C;
      dnorm_norm_mean /= C;
      for (int i = 0; i < C; ++i) {
        const float norm = (x[i] - m) * s;
        const float dnorm = weight[i] * dy[i];
        dx[i] += s * (dnorm - dnorm_mean - norm * dnorm_norm_mean);
      }
    }
  }
  for (int th = 0; th < threads; ++th) {
    const float* dw = partial.data() + 2 * static_cast<std::size_t>(th) * C;
    for (int i = 0; i < C; ++i) {
      dweight[i] += dw[i];
      dbias[i] += dw[C + i];
    }
  }
}

}  // namespace parcae::kernels::cpu
