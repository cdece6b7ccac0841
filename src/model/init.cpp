// GPT-2 initialisation (see init.hpp).
#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "parcae/model/init.hpp"
#include "parcae/rng.hpp"

namespace parcae::model {

namespace {

// GPT-2's standard deviation for weights (Radford et al. 2019; llm.c's train_gpt2.py).
constexpr double kStd = 0.02;

// One stream per layer: the seed and the layer index mixed by a multiply with
// the golden-ratio constant (Rng's splitmix64 then scrambles the state).
std::uint64_t layer_seed(std::uint64_t seed, int layer) {
  return seed ^ (0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(layer + 1));
}

// Fills w[0, n) with stddev * N(0, 1), exactly the floats that n calls of
// static_cast<float>(stddev * rng.normal()) give, in order. Box-Muller's log,
// sqrt and cos are nearly all the time (gpt2-124m's 163M weights: 4.3 s on
// one core, 2.6 s on two) and independent per value, while the stream itself
// must stay sequential: so the random bits are drawn in order, a chunk at a
// time, and transformed in parallel. Rng::normal's formula is repeated here;
// the test NormalsInParallelEqualTheSequentialStream holds the two together.
void fill_normal(Rng& rng, double stddev, float* w, std::int64_t n) {
  constexpr std::int64_t kChunk = std::int64_t{1} << 20;
  std::vector<std::uint64_t> bits(2 * static_cast<std::size_t>(std::min(n, kChunk)));
  for (std::int64_t start = 0; start < n; start += kChunk) {
    const std::int64_t m = std::min(kChunk, n - start);
    for (std::int64_t i = 0; i < 2 * m; ++i) bits[i] = rng.next_u64();
#pragma omp parallel for schedule(static) if (m >= 4096)
    for (std::int64_t i = 0; i < m; ++i) {
      // As Rng::uniform() twice, then Rng::normal().
      const double u1 = 1.0 - static_cast<double>(bits[2 * i] >> 11) * 0x1.0p-53;
      const double u2 = static_cast<double>(bits[2 * i + 1] >> 11) * 0x1.0p-53;
      const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
      w[start + i] = static_cast<float>(stddev * z);
    }
  }
}

}  // namespace

void init_layer(const GptConfig& cfg, const LayerSpec& spec, std::uint64_t seed,
                std::span<float> params) {
  if (static_cast<std::int64_t>(params.size()) != spec.size)
    throw std::invalid_argument("init_layer: buffer of " + std::to_string(params.size()) +
                                " floats for layer " + spec.name() + " of " +
                                std::to_string(spec.size));
  Rng rng(layer_seed(seed, spec.index));
  // Residual projections add into the residual stream once per block and
  // branch (2L times in all): GPT-2 scales them by 1/sqrt(2L) so the stream's
  // variance does not grow with depth.
  const double residual_std = kStd / std::sqrt(2.0 * cfg.layers);
  for (const auto& t : spec.tensors) {
    float* w = params.data() + t.offset;
    // Rows past the vocabulary (padding) stay zero: no token looks them up and
    // the loss ignores their logits, so they never receive a gradient.
    std::int64_t live = t.size;
    if (t.name == "wte" || t.name == "lm_head.weight") live = std::int64_t{cfg.vocab} * t.shape[1];
    switch (t.init) {
      case Init::normal:
        fill_normal(rng, kStd, w, live);
        std::fill(w + live, w + t.size, 0.0f);
        break;
      case Init::normal_residual: fill_normal(rng, residual_std, w, t.size); break;
      case Init::ones: std::fill(w, w + t.size, 1.0f); break;
      case Init::zeros: std::fill(w, w + t.size, 0.0f); break;
    }
  }
}

}  // namespace parcae::model
