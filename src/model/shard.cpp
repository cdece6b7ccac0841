// Shards: creation and fingerprint (see shard.hpp).
#include "parcae/model/shard.hpp"

#include "parcae/model/init.hpp"
#include "parcae/util/checksum.hpp"

namespace parcae::model {

std::uint64_t combine_checksums(int layer, std::int64_t step, const Shard::BufferChecksums& sums) {
  const std::uint64_t words[] = {static_cast<std::uint64_t>(layer), static_cast<std::uint64_t>(step),
                                 sums.param, sums.adam_m, sums.adam_v};
  return util::xxh3_64(std::span<const std::uint64_t>(words));
}

Shard::BufferChecksums Shard::buffer_checksums() const {
  return {util::xxh3_64(std::span<const float>(param)), util::xxh3_64(std::span<const float>(adam_m)),
          util::xxh3_64(std::span<const float>(adam_v))};
}

std::uint64_t Shard::checksum() const { return combine_checksums(layer, step, buffer_checksums()); }

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
