// Per-layer activation buffers and the backward scratch (see activations.hpp).
#include <algorithm>

#include "parcae/model/activations.hpp"

namespace parcae::model {

LayerActivations::LayerActivations(const GptConfig& cfg, LayerKind kind_, int B_, int T_)
    : B(B_), T(T_), kind(kind_) {
  const std::int64_t N = std::int64_t{B} * T, C = cfg.channels;
  // Two passes over the same list: first count, then carve the views.
  std::vector<std::pair<float**, std::int64_t>> views;
  switch (kind) {
    case LayerKind::embedding:
      views = {{&out, N * C}};
      break;
    case LayerKind::block:
      views = {{&ln1, N * C},      {&ln1_mean, N},     {&ln1_rstd, N},
               {&qkv, 3 * N * C},  {&att, N * cfg.heads * T},
               {&atty, N * C},     {&res2, N * C},     {&ln2, N * C},
               {&ln2_mean, N},     {&ln2_rstd, N},     {&fch, 4 * N * C},
               {&fch_gelu, 4 * N * C}, {&out, N * C}};
      break;
    case LayerKind::head:
      views = {{&lnf, N * C}, {&lnf_mean, N}, {&lnf_rstd, N},
               {&probs, N * cfg.padded_vocab()}, {&losses, N}};
      break;
  }
  std::int64_t total = 0;
  for (const auto& v : views) total += v.second;
  buffer_.assign(total, 0.0f);
  float* next = buffer_.data();
  for (auto& [view, size] : views) {
    *view = next;
    next += size;
  }
}

float* BackwardWorkspace::zeroed(std::int64_t floats) {
  if (static_cast<std::int64_t>(buffer_.size()) < floats) buffer_.resize(floats);
  std::fill(buffer_.begin(), buffer_.begin() + floats, 0.0f);
  return buffer_.data();
}

std::int64_t BackwardWorkspace::floats_for(const GptConfig& cfg, LayerKind kind, int B, int T) {
  const std::int64_t N = std::int64_t{B} * T, C = cfg.channels;
  switch (kind) {
    case LayerKind::embedding: return 0;
    // dres2, dproj, dln2, datty, dln1 [N,C]; dqkv [N,3C]; dfch, dfch_gelu [N,4C]
    case LayerKind::block: return 16 * N * C;
    // dlogits [N,Vp], dlnf [N,C]
    case LayerKind::head: return N * (cfg.padded_vocab() + C);
  }
  return 0;
}

}  // namespace parcae::model
