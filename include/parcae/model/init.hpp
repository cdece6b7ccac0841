#pragma once
// GPT-2 initialisation of one layer, a pure function of (seed, layer index):
// a stage initialises only the layers it owns and still gets the same numbers
// a single worker would, whatever the partition.
#include <cstdint>
#include <span>

#include "parcae/model/config.hpp"
#include "parcae/model/layers.hpp"

namespace parcae::model {

// Fills `params` (spec.size floats) tensor by tensor in table order, each in
// row-major order, from parcae::Rng (xoshiro256** + Box-Muller: the same bits
// with every standard library, unlike std::normal_distribution).
void init_layer(const GptConfig& cfg, const LayerSpec& spec, std::uint64_t seed,
                std::span<float> params);

}  // namespace parcae::model
