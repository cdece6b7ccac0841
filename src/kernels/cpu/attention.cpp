// Causal multi-head self-attention (see kernels/cpu.hpp for the layout).
// Per (batch, head, position t): scores of q_t against k_0..k_t, softmax,
// and the probability-weighted sum of v_0..v_t. Only the probabilities are
// kept for the backward (not the raw scores): they are all it needs.
#include <cmath>
#include <vector>

#include "parcae/kernels/cpu.hpp"

namespace parcae::kernels::cpu {

void attention_forward(float* out, float* att, const float* inp, int B, int T, int C, int NH) {
  const int C3 = 3 * C;
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
#pragma omp parallel for collapse(3)
  for (int b = 0; b < B; ++b) {
    for (int h = 0; h < NH; ++h) {
      for (int t = 0; t < T; ++t) {
        const float* base = inp + static_cast<std::int64_t>(b) * T * C3;
        const float* q = base + static_cast<std::int64_t>(t) * C3 + h * hs;
        float* att_t = att + ((static_cast<std::int64_t>(b) * NH + h) * T + t) * T;

        float maxval = -INFINITY;
        for (int t2 = 0; t2 <= t; ++t2) {
          const float* k = base + static_cast<std::int64_t>(t2) * C3 + C + h * hs;
          float dot = 0.0f;
          for (int i = 0; i < hs; ++i) dot += q[i] * k[i];
          att_t[t2] = dot * scale;
          maxval = att_t[t2] > maxval ? att_t[t2] : maxval;  // inline, unlike std::fmax
        }
        float sum = 0.0f;
        for (int t2 = 0; t2 <= t; ++t2) {
          att_t[t2] = std::exp(att_t[t2] - maxval);
          sum += att_t[t2];
        }
        const float inv = 1.0f / sum;
        for (int t2 = 0; t2 < T; ++t2) att_t[t2] = t2 <= t ? att_t[t2] * inv : 0.0f;

        float* out_t = out + (static_cast<std::int64_t>(b) * T + t) * C + h * hs;
        for (int i = 0; i < hs; ++i) out_t[i] = 0.0f;
        for (int t2 = 0; t2 <= t; ++t2) {
          const float* v = base + static_cast<std::int64_t>(t2) * C3 + 2 * C + h * hs;
          for (int i = 0; i < hs; ++i) out_t[i] += att_t[t2] * v[i];
        }
      }
    }
  }
}

void attention_backward(float* dinp, const float* dout, const float* inp, const float* att, int B,
                        int T, int C, int NH) {
  const int C3 = 3 * C;
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  // A (batch, head) pair writes only its own slice of dinp, so pairs run in
  // parallel; inside one pair, dk and dv gather from every later position.
#pragma omp parallel
  {
    std::vector<float> datt(T);
#pragma omp for collapse(2)
    for (int b = 0; b < B; ++b) {
      for (int h = 0; h < NH; ++h) {
        const float* base = inp + static_cast<std::int64_t>(b) * T * C3;
        float* dbase = dinp + static_cast<std::int64_t>(b) * T * C3;
        for (int t = 0; t < T; ++t) {
          const float* att_t = att + ((static_cast<std::int64_t>(b) * NH + h) * T + t) * T;
          const float* dout_t = dout + (static_cast<std::int64_t>(b) * T + t) * C + h * hs;
          const float* q = base + static_cast<std::int64_t>(t) * C3 + h * hs;
          float* dq = dbase + static_cast<std::int64_t>(t) * C3 + h * hs;

          // Differentiates: out_t[i] += att_t[t2] * v[i];
          float att_dot_datt = 0.0f;
          for (int t2 = 0; t2 <= t; ++t2) {
            const float* v = base + static_cast<std::int64_t>(t2) * C3 + 2 * C + h * hs;
            float* dv = dbase + static_cast<std::int64_t>(t2) * C3 + 2 * C + h * hs;
            float d = 0.0f;
            for (int i = 0; i < hs; ++i) {
              d += dout_t[i] * v[i];
              dv[i] += att_t[t2] * dout_t[i];
            }
            datt[t2] = d;
            att_dot_datt += att_t[t2] * d;
          }
          // Differentiates the softmax att_t = exp(s - max) / sum and then
          // att_t[t2] = dot * scale with dot = q . k:
          //   dscore[t2] = att[t2] * (datt[t2] - sum_j att[j] * datt[j]).
          for (int t2 = 0; t2 <= t; ++t2) {
            const float dscore = att_t[t2] * (datt[t2] - att_dot_datt) * scale;
            const float* k = base + static_cast<std::int64_t>(t2) * C3 + C + h * hs;
            float* dk = dbase + static_cast<std::int64_t>(t2) * C3 + C + h * hs;
            for (int i = 0; i < hs; ++i) {
              dq[i] += dscore * k[i];
              dk[i] += dscore * q[i];
            }
          }
        }
      }
    }
  }
}

}  // namespace parcae::kernels::cpu
