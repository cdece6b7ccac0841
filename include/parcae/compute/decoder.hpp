#pragma once
// The whole model run one position at a time, for generation: each new token
// goes through every layer once, attending to the keys and values that the
// earlier positions left in a KV cache, so a token costs one position's work
// (O(T C) attention, O(C^2) matmuls), not the whole context's. The logits at
// position t equal the full forward's (Stage::forward) over tokens 0..t, up to
// float rounding: the same kernels on one row, and a decode attention whose
// row t is the full attention's row t (tests/compute/decoder_test.cpp).
//
// On one process and one backend (CPU or a GPU), from the shards of every
// layer, whatever layout trained or saved them.
#include <cstdint>
#include <span>
#include <vector>

#include "parcae/compute/backend.hpp"
#include "parcae/compute/stage.hpp"
#include "parcae/model/config.hpp"
#include "parcae/model/shard.hpp"

namespace parcae::compute {

class Decoder {
 public:
  // `shards` must be layers 0 .. cfg.num_layers() - 1, in order (InputError otherwise).
  Decoder(const model::GptConfig& cfg, std::vector<model::Shard> shards,
          Backend& backend = cpu_backend());

  const model::GptConfig& config() const { return stage_.config(); }
  // Positions consumed so far, and the most the cache holds (the model's context, T).
  int position() const { return position_; }
  int capacity() const { return config().seq_len; }

  // Feeds `token` at position(): the logits [V] of the next token, on the host
  // (valid until the next call). Throws InputError for a token outside [0, V)
  // and std::logic_error when the context is full (reset and feed again).
  std::span<const float> step(int token);
  // Forgets every cached position: the next step is position 0.
  void reset() { position_ = 0; }

 private:
  Stage stage_;
  DeviceArray<float> kv_cache_;     // per block: keys [T,C] then values [T,C]
  DeviceArray<float> activations_;  // one position's intermediate values
  DeviceArray<int> token_;          // the token being fed, in the backend's memory
  std::vector<float> logits_;       // [Vp] on the host
  int position_ = 0;
};

}  // namespace parcae::compute
