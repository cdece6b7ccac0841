// GPT-2 initialisation (see init.hpp).
#include <cmath>
#include <stdexcept>

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
    for (std::int64_t i = 0; i < t.size; ++i) {
      switch (t.init) {
        case Init::normal: w[i] = i < live ? static_cast<float>(kStd * rng.normal()) : 0.0f; break;
        case Init::normal_residual: w[i] = static_cast<float>(residual_std * rng.normal()); break;
        case Init::ones: w[i] = 1.0f; break;
        case Init::zeros: w[i] = 0.0f; break;
      }
    }
  }
}

}  // namespace parcae::model
