#pragma once
// A shard: one layer's whole training state, parameters + AdamW moments + step
// count. It is the unit that migrates between ranks and that checkpoints save,
// so it is plain data: three flat buffers in the layout of layer_spec(layer).
#include <cstdint>
#include <vector>

#include "parcae/model/config.hpp"
#include "parcae/model/layers.hpp"
#include "parcae/util/default_init_allocator.hpp"

namespace parcae::model {

// A shard's buffer. resize() leaves new floats uninitialised: every buffer
// is written whole where it is made (received, read, downloaded, initialised),
// so zeroing it first would cost a pass over the state for nothing.
using Floats = std::vector<float, util::DefaultInitAllocator<float>>;

struct Shard {
  int layer = 0;                // index in the model: 0 embedding, 1..L blocks, L + 1 head
  Floats param;                 // layer_spec(cfg, layer).size floats each
  Floats adam_m;                // AdamW first moment
  Floats adam_v;                // AdamW second moment
  std::int64_t step = 0;        // AdamW updates applied so far

  // A fingerprint of the state (layer, step and the bits of the three
  // buffers) to check that a migrated or reloaded shard arrived whole: XXH3
  // of each buffer, combined with the layer and step by combine_checksums, so
  // a checkpoint that stores the three buffer checksums gets this one free.
  std::uint64_t checksum() const;
  struct BufferChecksums {
    std::uint64_t param = 0, adam_m = 0, adam_v = 0;
    bool operator==(const BufferChecksums&) const = default;
  };
  BufferChecksums buffer_checksums() const;
  bool operator==(const Shard&) const = default;
};

// Shard::checksum() of a shard of `layer` at `step` whose buffers have `sums`.
std::uint64_t combine_checksums(int layer, std::int64_t step, const Shard::BufferChecksums& sums);

// A fresh shard: GPT-2 initialised parameters (init_layer), zero moments, step 0.
Shard make_shard(const GptConfig& cfg, int layer, std::uint64_t seed);

}  // namespace parcae::model
