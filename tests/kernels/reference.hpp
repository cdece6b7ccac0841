#pragma once
// Naive reference ops, written independently of src/kernels/cpu: plain loops,
// no BLAS, no OpenMP, templated on the number type so the tests run them in
// double. The float kernels are checked against these, and these against
// central finite differences (in double, where differences are accurate).
// Same argument order as the kernels; backward functions accumulate.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

namespace parcae::reference {

template <class R>
void embedding_forward(R* out, const int* tokens, const R* wte, const R* wpe, int B, int T, int C) {
  for (int bt = 0; bt < B * T; ++bt)
    for (int i = 0; i < C; ++i) out[bt * C + i] = wte[tokens[bt] * C + i] + wpe[(bt % T) * C + i];
}

template <class R>
void embedding_backward(R* dwte, R* dwpe, const R* dout, const int* tokens, int B, int T, int C) {
  for (int bt = 0; bt < B * T; ++bt)
    for (int i = 0; i < C; ++i) {
      dwte[tokens[bt] * C + i] += dout[bt * C + i];
      dwpe[(bt % T) * C + i] += dout[bt * C + i];
    }
}

template <class R>
void layernorm_forward(R* out, const R* inp, const R* w, const R* b, int N, int C) {
  for (int n = 0; n < N; ++n) {
    const R* x = inp + n * C;
    R mean = 0, var = 0;
    for (int i = 0; i < C; ++i) mean += x[i] / C;
    for (int i = 0; i < C; ++i) var += (x[i] - mean) * (x[i] - mean) / C;
    const R rstd = 1 / std::sqrt(var + R(1e-5));
    for (int i = 0; i < C; ++i) out[n * C + i] = (x[i] - mean) * rstd * w[i] + b[i];
  }
}

// The full Jacobian-vector product, derived afresh: with xhat = (x - mean) * rstd,
// dxhat_i = dy_i w_i, dvar = sum dxhat_i (x_i - mean) * (-1/2) rstd^3,
// dmean = -rstd sum dxhat_i, dx_i = dxhat_i rstd + dvar 2 (x_i - mean)/C + dmean/C.
template <class R>
void layernorm_backward(R* dinp, R* dw, R* db, const R* dout, const R* inp, const R* w, int N,
                        int C) {
  for (int n = 0; n < N; ++n) {
    const R* x = inp + n * C;
    const R* dy = dout + n * C;
    R mean = 0, var = 0;
    for (int i = 0; i < C; ++i) mean += x[i] / C;
    for (int i = 0; i < C; ++i) var += (x[i] - mean) * (x[i] - mean) / C;
    const R rstd = 1 / std::sqrt(var + R(1e-5));
    R dvar = 0, dmean = 0;
    for (int i = 0; i < C; ++i) {
      const R dxhat = dy[i] * w[i];
      dvar += dxhat * (x[i] - mean) * R(-0.5) * rstd * rstd * rstd;
      dmean += -dxhat * rstd;
      dw[i] += dy[i] * (x[i] - mean) * rstd;
      db[i] += dy[i];
    }
    for (int i = 0; i < C; ++i)
      dinp[n * C + i] += dy[i] * w[i] * rstd + dvar * 2 * (x[i] - mean) / C + dmean / C;
  }
}

template <class R>
void matmul_forward(R* out, const R* inp, const R* w, const R* bias, int N, int C, int OC) {
  for (int n = 0; n < N; ++n)
    for (int o = 0; o < OC; ++o) {
      R s = bias ? bias[o] : R(0);
      for (int i = 0; i < C; ++i) s += inp[n * C + i] * w[o * C + i];
      out[n * OC + o] = s;
    }
}

template <class R>
void matmul_backward(R* dinp, R* dw, R* dbias, const R* dout, const R* inp, const R* w, int N,
                     int C, int OC) {
  for (int n = 0; n < N; ++n)
    for (int o = 0; o < OC; ++o) {
      const R d = dout[n * OC + o];
      for (int i = 0; i < C; ++i) {
        dinp[n * C + i] += d * w[o * C + i];
        dw[o * C + i] += d * inp[n * C + i];
      }
      if (dbias) dbias[o] += d;
    }
}

// Attention spelled out with explicit q, k, v index helpers and a full T x T
// score matrix masked to -inf (a different route from the kernel's).
template <class R>
void attention_forward(R* out, const R* inp, int B, int T, int C, int NH) {
  const int hs = C / NH;
  auto at = [&](int b, int t, int part, int h, int i) { return inp[(b * T + t) * 3 * C + part * C + h * hs + i]; };
  std::vector<R> p(T);
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < NH; ++h)
      for (int t = 0; t < T; ++t) {
        R mx = -INFINITY, sum = 0;
        for (int s = 0; s < T; ++s) {
          R dot = 0;
          for (int i = 0; i < hs; ++i) dot += at(b, t, 0, h, i) * at(b, s, 1, h, i);
          p[s] = s <= t ? dot / std::sqrt(R(hs)) : -INFINITY;
          mx = std::max(mx, p[s]);
        }
        for (int s = 0; s < T; ++s) sum += p[s] = std::exp(p[s] - mx);
        for (int i = 0; i < hs; ++i) {
          R o = 0;
          for (int s = 0; s < T; ++s) o += p[s] / sum * at(b, s, 2, h, i);
          out[(b * T + t) * C + h * hs + i] = o;
        }
      }
}

template <class R>
void attention_backward(R* dinp, const R* dout, const R* inp, int B, int T, int C, int NH) {
  const int hs = C / NH;
  auto idx = [&](int b, int t, int part, int h, int i) { return (b * T + t) * 3 * C + part * C + h * hs + i; };
  std::vector<R> p(T), dp(T);
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < NH; ++h)
      for (int t = 0; t < T; ++t) {
        R mx = -INFINITY, sum = 0;
        for (int s = 0; s <= t; ++s) {
          R dot = 0;
          for (int i = 0; i < hs; ++i) dot += inp[idx(b, t, 0, h, i)] * inp[idx(b, s, 1, h, i)];
          p[s] = dot / std::sqrt(R(hs));
          mx = std::max(mx, p[s]);
        }
        for (int s = 0; s <= t; ++s) sum += p[s] = std::exp(p[s] - mx);
        for (int s = 0; s <= t; ++s) p[s] /= sum;
        // out_i = sum_s p_s v_si
        R pdp = 0;
        for (int s = 0; s <= t; ++s) {
          dp[s] = 0;
          for (int i = 0; i < hs; ++i) {
            const R g = dout[(b * T + t) * C + h * hs + i];
            dp[s] += g * inp[idx(b, s, 2, h, i)];
            dinp[idx(b, s, 2, h, i)] += p[s] * g;
          }
          pdp += p[s] * dp[s];
        }
        // p = softmax(score), score_s = q . k_s / sqrt(hs)
        for (int s = 0; s <= t; ++s) {
          const R dscore = p[s] * (dp[s] - pdp) / std::sqrt(R(hs));
          for (int i = 0; i < hs; ++i) {
            dinp[idx(b, t, 0, h, i)] += dscore * inp[idx(b, s, 1, h, i)];
            dinp[idx(b, s, 1, h, i)] += dscore * inp[idx(b, t, 0, h, i)];
          }
        }
      }
}

template <class R>
R gelu(R x) {
  return R(0.5) * x * (1 + std::tanh(std::sqrt(2 / std::numbers::pi_v<R>) * (x + R(0.044715) * x * x * x)));
}

template <class R>
void gelu_forward(R* out, const R* inp, std::int64_t N) {
  for (std::int64_t i = 0; i < N; ++i) out[i] = gelu(inp[i]);
}

template <class R>
void gelu_backward(R* dinp, const R* dout, const R* inp, std::int64_t N) {
  const R k = std::sqrt(2 / std::numbers::pi_v<R>);
  for (std::int64_t i = 0; i < N; ++i) {
    const R x = inp[i], u = k * (x + R(0.044715) * x * x * x);
    const R sech = 1 / std::cosh(u);
    dinp[i] += dout[i] * (R(0.5) * (1 + std::tanh(u)) +
                          R(0.5) * x * sech * sech * k * (1 + 3 * R(0.044715) * x * x));
  }
}

// losses[n] = -log softmax(logits[n, :V])[target]
template <class R>
void crossentropy_forward(R* losses, const R* logits, const int* targets, int N, int V, int Vp) {
  for (int n = 0; n < N; ++n) {
    R mx = -INFINITY, sum = 0;
    for (int i = 0; i < V; ++i) mx = std::max(mx, logits[n * Vp + i]);
    for (int i = 0; i < V; ++i) sum += std::exp(logits[n * Vp + i] - mx);
    losses[n] = mx + std::log(sum) - logits[n * Vp + targets[n]];
  }
}

template <class R>
void crossentropy_backward(R* dlogits, const R* dlosses, const R* logits, const int* targets,
                           int N, int V, int Vp) {
  for (int n = 0; n < N; ++n) {
    R mx = -INFINITY, sum = 0;
    for (int i = 0; i < V; ++i) mx = std::max(mx, logits[n * Vp + i]);
    for (int i = 0; i < V; ++i) sum += std::exp(logits[n * Vp + i] - mx);
    for (int i = 0; i < V; ++i)
      dlogits[n * Vp + i] +=
          dlosses[n] * (std::exp(logits[n * Vp + i] - mx) / sum - (i == targets[n] ? 1 : 0));
  }
}

}  // namespace parcae::reference
