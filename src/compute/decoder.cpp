// The whole model, one position at a time, with a KV cache (see decoder.hpp).
#include "parcae/compute/decoder.hpp"

#include <stdexcept>
#include <string>

#include "parcae/compute/layer_decode.hpp"
#include "parcae/error.hpp"

namespace parcae::compute {

namespace {

std::vector<model::Shard> whole_model(const model::GptConfig& cfg,
                                      std::vector<model::Shard> shards) {
  if (static_cast<int>(shards.size()) != cfg.num_layers() || shards.front().layer != 0)
    throw InputError("decoding needs every layer's shard (0.." +
                     std::to_string(cfg.num_layers() - 1) + "); got " +
                     std::to_string(shards.size()) + " starting at layer " +
                     std::to_string(shards.empty() ? -1 : shards.front().layer));
  return shards;
}

}  // namespace

Decoder::Decoder(const model::GptConfig& cfg, std::vector<model::Shard> shards, Backend& backend)
    : stage_(cfg, whole_model(cfg, std::move(shards)), backend),
      kv_cache_(backend, static_cast<std::size_t>(2) * cfg.layers * cfg.seq_len * cfg.channels),
      activations_(backend, static_cast<std::size_t>(DecodeActivations::floats(cfg))),
      token_(backend, 1),
      logits_(static_cast<std::size_t>(cfg.padded_vocab())) {}

std::span<const float> Decoder::step(int token) {
  const auto& cfg = config();
  if (token < 0 || token >= cfg.vocab)
    throw InputError("token " + std::to_string(token) + " is outside the vocabulary [0, " +
                     std::to_string(cfg.vocab) + ")");
  if (position_ >= capacity())
    throw std::logic_error("Decoder::step: the context of " + std::to_string(capacity()) +
                           " positions is full");
  Backend& be = stage_.backend();
  token_.upload({&token, 1});
  DecodeActivations a = DecodeActivations::carve(cfg, activations_.data());
  const std::int64_t cache_rows = std::int64_t{cfg.seq_len} * cfg.channels;
  embedding_layer_decode(be, cfg, stage_.spec(0), stage_.param(0), a, token_.data(), position_);
  for (int l = 1; l <= cfg.layers; ++l) {
    float* keys = kv_cache_.data() + 2 * (l - 1) * cache_rows;
    block_layer_decode(be, cfg, stage_.spec(l), stage_.param(l), a, keys, keys + cache_rows,
                       position_);
  }
  head_layer_decode(be, cfg, stage_.spec(cfg.layers + 1), stage_.param(cfg.layers + 1), a);
  be.to_host(logits_.data(), a.logits, logits_.size() * sizeof(float));
  ++position_;
  return {logits_.data(), static_cast<std::size_t>(cfg.vocab)};
}

}  // namespace parcae::compute
