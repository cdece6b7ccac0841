#pragma once
// The whole GPT forward in double, from the naive reference ops of
// tests/kernels/reference.hpp and the same parameter tables: an independent
// route to the loss, for finite differences that are accurate to ~1e-10.
#include <vector>

#include "kernels/reference.hpp"
#include "parcae/model/config.hpp"
#include "parcae/model/layers.hpp"

namespace parcae::testing {

using LayerParams = std::vector<std::vector<double>>;  // one flat buffer per layer

// Logits [B*T, Vp] of the whole model.
inline std::vector<double> reference_logits(const model::GptConfig& cfg, const LayerParams& params,
                                            const int* tokens, int B, int T) {
  namespace r = parcae::reference;
  const int N = B * T, C = cfg.channels, Vp = cfg.padded_vocab();
  const int L = cfg.layers;
  auto p = [&](int layer, const char* name) {
    return params[layer].data() + model::layer_spec(cfg, layer).at(name).offset;
  };
  std::vector<double> x(N * C);
  r::embedding_forward(x.data(), tokens, p(0, "wte"), p(0, "wpe"), B, T, C);
  std::vector<double> ln(N * C), qkv(N * 3 * C), y(N * C), proj(N * C), fc(N * 4 * C),
      h(N * 4 * C);
  for (int l = 1; l <= L; ++l) {
    r::layernorm_forward(ln.data(), x.data(), p(l, "ln1.weight"), p(l, "ln1.bias"), N, C);
    r::matmul_forward(qkv.data(), ln.data(), p(l, "attn.qkv.weight"), p(l, "attn.qkv.bias"), N, C, 3 * C);
    r::attention_forward(y.data(), qkv.data(), B, T, C, cfg.heads);
    r::matmul_forward(proj.data(), y.data(), p(l, "attn.proj.weight"), p(l, "attn.proj.bias"), N, C, C);
    for (int i = 0; i < N * C; ++i) x[i] += proj[i];
    r::layernorm_forward(ln.data(), x.data(), p(l, "ln2.weight"), p(l, "ln2.bias"), N, C);
    r::matmul_forward(fc.data(), ln.data(), p(l, "mlp.fc.weight"), p(l, "mlp.fc.bias"), N, C, 4 * C);
    r::gelu_forward(h.data(), fc.data(), N * 4 * C);
    r::matmul_forward(proj.data(), h.data(), p(l, "mlp.proj.weight"), p(l, "mlp.proj.bias"), N, 4 * C, C);
    for (int i = 0; i < N * C; ++i) x[i] += proj[i];
  }
  std::vector<double> logits(N * Vp);
  r::layernorm_forward(ln.data(), x.data(), p(L + 1, "lnf.weight"), p(L + 1, "lnf.bias"), N, C);
  r::matmul_forward<double>(logits.data(), ln.data(), p(L + 1, "lm_head.weight"), nullptr, N, C, Vp);
  return logits;
}

inline double reference_loss(const model::GptConfig& cfg, const LayerParams& params,
                             const int* tokens, const int* targets, int B, int T) {
  const int N = B * T, V = cfg.vocab, Vp = cfg.padded_vocab();
  const auto logits = reference_logits(cfg, params, tokens, B, T);
  std::vector<double> losses(N);
  parcae::reference::crossentropy_forward(losses.data(), logits.data(), targets, N, V, Vp);
  double mean = 0;
  for (double v : losses) mean += v / N;
  return mean;
}

}  // namespace parcae::testing
