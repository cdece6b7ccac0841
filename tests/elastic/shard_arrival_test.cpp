// A migrated shard is used only if it hashes to what its sender said: one
// flipped bit in any buffer, a wrong layer or size is named, with the source.
#include <gtest/gtest.h>

#include <cstring>

#include "parcae/elastic/shard_exchange.hpp"

namespace parcae::elastic {
namespace {

struct Sent {
  model::Shard shard;
  ShardHeader header;
};

Sent sent(int layer) {
  const auto cfg = model::GptConfig::preset("tiny");
  Sent s{model::make_shard(cfg, layer, 3), {}};
  for (std::size_t i = 0; i < s.shard.param.size(); ++i) {
    s.shard.adam_m[i] = 1e-3f * static_cast<float>(i % 89);
    s.shard.adam_v[i] = 1e-7f * static_cast<float>(i % 7);
  }
  s.shard.step = 12;
  s.header = {.layer = layer,
              .step = 12,
              .floats = static_cast<std::int64_t>(s.shard.param.size()),
              .checksum = s.shard.checksum()};
  return s;
}

void flip_bit(model::Floats& v, std::size_t i) {
  std::uint32_t bits;
  std::memcpy(&bits, &v[i], 4);
  bits ^= 1u << 9;
  std::memcpy(&v[i], &bits, 4);
}

TEST(ShardArrival, AWholeShardPasses) {
  const Sent s = sent(2);
  EXPECT_NO_THROW(check_arrival(s.header, s.shard, s.shard.buffer_checksums(), 3));
}

TEST(ShardArrival, AFlippedBitInAnyBufferIsNamedWithItsSource) {
  for (int b = 0; b < 3; ++b) {
    Sent s = sent(2);
    flip_bit(b == 0 ? s.shard.param : b == 1 ? s.shard.adam_m : s.shard.adam_v, 17 + b);
    try {
      check_arrival(s.header, s.shard, s.shard.buffer_checksums(), 3);
      ADD_FAILURE() << "buffer " << b << ": the damage went unseen";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "migration: layer 2 from rank 3 arrived corrupted (checksum mismatch)");
    }
  }
}

TEST(ShardArrival, AWrongStepLayerOrSizeIsCaught) {
  Sent s = sent(1);
  const auto sums = s.shard.buffer_checksums();
  ShardHeader h = s.header;
  h.step = 13;  // the checksum covers the step
  EXPECT_THROW(check_arrival(h, s.shard, sums, 1), std::runtime_error);
  h = s.header;
  h.layer = 2;
  EXPECT_THROW(check_arrival(h, s.shard, sums, 1), std::runtime_error);
  h = s.header;
  h.floats -= 1;
  EXPECT_THROW(check_arrival(h, s.shard, sums, 1), std::runtime_error);
}

}  // namespace
}  // namespace parcae::elastic
