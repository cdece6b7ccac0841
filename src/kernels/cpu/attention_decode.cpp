// Causal attention for one new query position over cached keys and values (see
// kernels/cpu.hpp): what generation runs per token once the earlier positions'
// k and v are cached, O(T C) instead of the full forward's O(T^2 C). Row t of
// the full attention_forward is exactly this with q = q_t and the cache holding
// k_0..k_t and v_0..v_t (the causal mask is "attend to the cache"), so the two
// compute the same numbers; tests/kernels/attention_decode_test.cpp holds them to it.
#include <cmath>
#include <vector>

#include "parcae/kernels/cpu.hpp"

namespace parcae::kernels::cpu {

void attention_decode_forward(float* out, const float* q, const float* k_cache,
                              const float* v_cache, int T, int C, int NH) {
  if (T <= 0) return;
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  std::vector<float> p(static_cast<std::size_t>(T));
  for (int h = 0; h < NH; ++h) {
    const float* qh = q + h * hs;
    // p[t2] = scale q . k_t2, then the softmax over the cached positions.
    float maxval = -INFINITY;
    for (int t2 = 0; t2 < T; ++t2) {
      const float* k = k_cache + static_cast<std::int64_t>(t2) * C + h * hs;
      float s = 0.0f;
      for (int i = 0; i < hs; ++i) s += qh[i] * k[i];
      p[t2] = scale * s;
      maxval = p[t2] > maxval ? p[t2] : maxval;
    }
    float sum = 0.0f;
    for (int t2 = 0; t2 < T; ++t2) {
      p[t2] = std::exp(p[t2] - maxval);
      sum += p[t2];
    }
    const float inv = 1.0f / sum;
    // out_h = sum_t2 p[t2] v_t2
    float* oh = out + h * hs;
    for (int i = 0; i < hs; ++i) oh[i] = 0.0f;
    for (int t2 = 0; t2 < T; ++t2) {
      const float* v = v_cache + static_cast<std::int64_t>(t2) * C + h * hs;
      const float w = p[t2] * inv;
      for (int i = 0; i < hs; ++i) oh[i] += w * v[i];
    }
  }
}

}  // namespace parcae::kernels::cpu
