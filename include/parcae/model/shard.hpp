#pragma once
// A shard: one layer's whole training state, parameters + AdamW moments + step
// count. It is the unit that migrates between ranks and that checkpoints save,
// so it is plain data: three flat buffers in the layout of layer_spec(layer).
#include <cstdint>
#include <vector>

#include "parcae/model/config.hpp"
#include "parcae/model/layers.hpp"

namespace parcae::model {

struct Shard {
  int layer = 0;                // index in the model: 0 embedding, 1..L blocks, L + 1 head
  std::vector<float> param;     // layer_spec(cfg, layer).size floats each
  std::vector<float> adam_m;    // AdamW first moment
  std::vector<float> adam_v;    // AdamW second moment
  std::int64_t step = 0;        // AdamW updates applied so far

  // A fingerprint of the state (layer, step and the bits of the three
  // buffers) to check that a migrated or reloaded shard arrived whole.
  std::uint64_t checksum() const;
  bool operator==(const Shard&) const = default;
};

// A fresh shard: GPT-2 initialised parameters (init_layer), zero moments, step 0.
Shard make_shard(const GptConfig& cfg, int layer, std::uint64_t seed);

}  // namespace parcae::model
