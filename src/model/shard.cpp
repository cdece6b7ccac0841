// Shards: creation and fingerprint (see shard.hpp).
#include <bit>
#include <cstring>

#include "parcae/model/init.hpp"
#include "parcae/model/shard.hpp"

namespace parcae::model {

namespace {

// FNV-1a over 32-bit words rather than bytes: a quarter of the multiplies, and
// still sensitive to every bit and to order.
constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t mix(std::uint64_t h, std::uint64_t word) { return (h ^ word) * kFnvPrime; }

std::uint64_t mix(std::uint64_t h, const std::vector<float>& v) {
  h = mix(h, v.size());
  for (float x : v) h = mix(h, std::bit_cast<std::uint32_t>(x));
  return h;
}

}  // namespace

std::uint64_t Shard::checksum() const {
  std::uint64_t h = mix(kFnvOffset, static_cast<std::uint64_t>(layer));
  h = mix(h, static_cast<std::uint64_t>(step));
  h = mix(h, param);
  h = mix(h, adam_m);
  return mix(h, adam_v);
}

Shard make_shard(const GptConfig& cfg, int layer, std::uint64_t seed) {
  const LayerSpec spec = layer_spec(cfg, layer);
  Shard shard;
  shard.layer = layer;
  shard.param.resize(spec.size);
  init_layer(cfg, spec, seed, shard.param);
  shard.adam_m.assign(spec.size, 0.0f);
  shard.adam_v.assign(spec.size, 0.0f);
  return shard;
}

}  // namespace parcae::model
