// The layout of per-layer activations and of the backward scratch (see activations.hpp).
#include "parcae/model/activations.hpp"

#include <utility>
#include <vector>

namespace parcae::model {

namespace {

// The views of a layer and their sizes, in buffer order: one list serves both
// to count and to carve, so the two cannot disagree.
std::vector<std::pair<float * LayerActivations::*, std::int64_t>> views(
    const GptConfig& cfg, LayerKind kind, int B, int T, std::int64_t attention_floats) {
  using A = LayerActivations;
  const std::int64_t N = std::int64_t{B} * T, C = cfg.channels;
  switch (kind) {
    case LayerKind::embedding:
      return {{&A::out, N * C}};
    case LayerKind::block:
      return {{&A::ln1, N * C},
              {&A::ln1_mean, N},
              {&A::ln1_rstd, N},
              {&A::qkv, 3 * N * C},
              {&A::att, attention_floats},
              {&A::atty, N * C},
              {&A::res2, N * C},
              {&A::ln2, N * C},
              {&A::ln2_mean, N},
              {&A::ln2_rstd, N},
              {&A::fch, 4 * N * C},
              {&A::fch_gelu, 4 * N * C},
              {&A::out, N * C}};
    case LayerKind::head:
      return {{&A::lnf, N * C},
              {&A::lnf_mean, N},
              {&A::lnf_rstd, N},
              {&A::probs, N * cfg.padded_vocab()},
              {&A::losses, N}};
  }
  return {};
}

}  // namespace

std::int64_t LayerActivations::floats(const GptConfig& cfg, LayerKind kind, int B, int T,
                                      std::int64_t attention_floats) {
  std::int64_t total = 0;
  for (const auto& v : views(cfg, kind, B, T, attention_floats)) total += v.second;
  return total;
}

LayerActivations LayerActivations::carve(const GptConfig& cfg, LayerKind kind, int B, int T,
                                         std::int64_t attention_floats, float* base) {
  LayerActivations a;
  a.B = B;
  a.T = T;
  a.kind = kind;
  for (const auto& [view, size] : views(cfg, kind, B, T, attention_floats)) {
    a.*view = base;
    base += size;
  }
  return a;
}

std::int64_t backward_workspace_floats(const GptConfig& cfg, LayerKind kind, int B, int T) {
  const std::int64_t N = std::int64_t{B} * T, C = cfg.channels;
  switch (kind) {
    case LayerKind::embedding:
      return 0;
    // dres2, dproj, dln2, datty, dln1 [N,C]; dqkv [N,3C]; dfch, dfch_gelu [N,4C]
    case LayerKind::block:
      return 16 * N * C;
    // dlogits [N,Vp], dlnf [N,C]
    case LayerKind::head:
      return N * (cfg.padded_vocab() + C);
  }
  return 0;
}

}  // namespace parcae::model
