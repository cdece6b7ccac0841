// Causal multi-head self-attention (see kernels/cpu.hpp for the layout).
// Per (batch, head): scores S = scale q k^T, a causal softmax row by row, and
// the probability-weighted sum P v. Only the probabilities are kept for the
// backward (not the raw scores): they are all it needs.
//
// The products are SGEMMs over the whole T x T square, although the causal
// half past the diagonal is then zeroed: BLAS does the square several times
// faster than scalar loops do the triangle (the small model's step, T = 256,
// spent a third of its time in those loops). The zeros past the diagonal make
// P v and the backward's products exact without masks: 0 * v adds nothing.
// (batch, head) pairs run in parallel, each with single-threaded BLAS.
#include <cmath>
#include <vector>

#include <cblas.h>
#include <omp.h>

#include "parcae/kernels/cpu.hpp"
#include "parallel.hpp"

namespace parcae::kernels::cpu {

void attention_forward(float* out, float* att, const float* inp, int B, int T, int C, int NH) {
  const int C3 = 3 * C;
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  SingleThreadedBlas single;
#pragma omp parallel for collapse(2) schedule(static)
  for (int b = 0; b < B; ++b) {
    for (int h = 0; h < NH; ++h) {
      const float* q = inp + static_cast<std::int64_t>(b) * T * C3 + h * hs;  // rows of stride 3C
      const float* k = q + C;
      const float* v = q + 2 * C;
      float* att_bh = att + (static_cast<std::int64_t>(b) * NH + h) * T * T;
      float* out_bh = out + static_cast<std::int64_t>(b) * T * C + h * hs;  // rows of stride C

      // att_bh[T,T] = scale * q[T,hs] @ k[T,hs]^T
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, T, hs, scale, q, C3, k, C3, 0.0f,
                  att_bh, T);
      for (int t = 0; t < T; ++t) {
        float* row = att_bh + static_cast<std::int64_t>(t) * T;
        float maxval = -INFINITY;
        for (int t2 = 0; t2 <= t; ++t2) maxval = row[t2] > maxval ? row[t2] : maxval;
        float sum = 0.0f;
        for (int t2 = 0; t2 <= t; ++t2) {
          row[t2] = std::exp(row[t2] - maxval);
          sum += row[t2];
        }
        const float inv = 1.0f / sum;
        for (int t2 = 0; t2 < T; ++t2) row[t2] = t2 <= t ? row[t2] * inv : 0.0f;
      }
      // out_bh[T,hs] = att_bh[T,T] @ v[T,hs]
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, T, hs, T, 1.0f, att_bh, T, v, C3,
                  0.0f, out_bh, C);
    }
  }
}

std::int64_t attention_saved_floats(int B, int T, int NH) {
  return static_cast<std::int64_t>(B) * NH * T * T;
}

void attention_backward(float* dinp, const float* dout, const float* inp, const float* /*out*/,
                        const float* att, int B, int T, int C, int NH) {
  const int C3 = 3 * C;
  const int hs = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  // A (batch, head) pair writes only its own slice of dinp, so pairs run in
  // parallel; each thread keeps one T x T scratch for d att, then d scores.
  SingleThreadedBlas single;
#pragma omp parallel
  {
    std::vector<float> dscore(static_cast<std::size_t>(T) * T);
#pragma omp for collapse(2) schedule(static)
    for (int b = 0; b < B; ++b) {
      for (int h = 0; h < NH; ++h) {
        const float* q = inp + static_cast<std::int64_t>(b) * T * C3 + h * hs;
        const float* k = q + C;
        const float* v = q + 2 * C;
        float* dq = dinp + static_cast<std::int64_t>(b) * T * C3 + h * hs;
        float* dk = dq + C;
        float* dv = dq + 2 * C;
        const float* att_bh = att + (static_cast<std::int64_t>(b) * NH + h) * T * T;
        const float* dout_bh = dout + static_cast<std::int64_t>(b) * T * C + h * hs;

        // Differentiates: out_bh = att_bh @ v
        //   datt[T,T] = dout_bh[T,hs] @ v[T,hs]^T;  dv[T,hs] += att_bh^T @ dout_bh
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, T, hs, 1.0f, dout_bh, C, v, C3,
                    0.0f, dscore.data(), T);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, T, hs, T, 1.0f, att_bh, T, dout_bh,
                    C, 1.0f, dv, C3);
        // Differentiates the softmax att = exp(s - max) / sum, row by row, in place:
        //   dscore[t2] = att[t2] * (datt[t2] - sum_j att[j] * datt[j])
        // (zero past the diagonal, where att is zero).
        for (int t = 0; t < T; ++t) {
          const float* a = att_bh + static_cast<std::int64_t>(t) * T;
          float* d = dscore.data() + static_cast<std::int64_t>(t) * T;
          float att_dot_datt = 0.0f;
          for (int t2 = 0; t2 <= t; ++t2) att_dot_datt += a[t2] * d[t2];
          for (int t2 = 0; t2 < T; ++t2) d[t2] = a[t2] * (d[t2] - att_dot_datt);
        }
        // Differentiates: att_bh = scale * q @ k^T
        //   dq += scale * dscore @ k;  dk += scale * dscore^T @ q
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, T, hs, T, scale, dscore.data(), T,
                    k, C3, 1.0f, dq, C3);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, T, hs, T, scale, dscore.data(), T, q,
                    C3, 1.0f, dk, C3);
      }
    }
  }
}

}  // namespace parcae::kernels::cpu
