// GPT-2 initialisation: determinism, independence from the partition, statistics.
#include <cmath>

#include <gtest/gtest.h>

#include "parcae/model/init.hpp"
#include "parcae/model/shard.hpp"

namespace parcae::model {
namespace {

struct Moments {
  double mean = 0, std = 0;
};

Moments moments(const float* x, std::int64_t n) {
  double s = 0, ss = 0;
  for (std::int64_t i = 0; i < n; ++i) s += x[i], ss += double(x[i]) * x[i];
  return {s / n, std::sqrt(ss / n - (s / n) * (s / n))};
}

TEST(Init, SameSeedSameBitsOtherSeedOtherBits) {
  const auto cfg = GptConfig::preset("tiny");
  for (int l = 0; l < cfg.num_layers(); ++l) {
    const auto a = make_shard(cfg, l, 42), b = make_shard(cfg, l, 42), c = make_shard(cfg, l, 43);
    EXPECT_EQ(a.param, b.param) << l;  // float ==: bit-identical (no NaNs here)
    EXPECT_EQ(a.checksum(), b.checksum());
    EXPECT_NE(a.param, c.param) << l;
    EXPECT_NE(a.checksum(), c.checksum());
  }
  // Layers draw from streams of their own: two blocks differ.
  EXPECT_NE(make_shard(cfg, 1, 42).param, make_shard(cfg, 2, 42).param);
}

TEST(Init, Gpt2Statistics) {
  GptConfig cfg = GptConfig::preset("small");
  cfg.vocab = 250;  // padded to 256: the last 6 rows stay zero
  const auto spec = layer_spec(cfg, 1);
  const auto block = make_shard(cfg, 1, 1);
  auto check = [&](const char* name, double want_std) {
    const auto& t = spec.at(name);
    const auto m = moments(block.param.data() + t.offset, t.size);
    EXPECT_NEAR(m.mean, 0.0, 4 * want_std / std::sqrt(double(t.size))) << name;
    EXPECT_NEAR(m.std, want_std, 0.02 * want_std) << name;
  };
  check("attn.qkv.weight", 0.02);
  check("mlp.fc.weight", 0.02);
  check("attn.proj.weight", 0.02 / std::sqrt(2.0 * cfg.layers));  // residual projections
  check("mlp.proj.weight", 0.02 / std::sqrt(2.0 * cfg.layers));
  for (const char* name : {"ln1.weight", "ln2.weight"}) {
    const auto& t = spec.at(name);
    for (std::int64_t i = 0; i < t.size; ++i) ASSERT_EQ(block.param[t.offset + i], 1.0f);
  }
  for (const char* name : {"ln1.bias", "attn.qkv.bias", "attn.proj.bias", "mlp.fc.bias"}) {
    const auto& t = spec.at(name);
    for (std::int64_t i = 0; i < t.size; ++i) ASSERT_EQ(block.param[t.offset + i], 0.0f);
  }
  const auto emb = make_shard(cfg, 0, 1);
  const auto emb_spec = layer_spec(cfg, 0);
  const auto& wte = emb_spec.at("wte");
  for (std::int64_t i = 250LL * cfg.channels; i < wte.size; ++i) ASSERT_EQ(emb.param[i], 0.0f);
  EXPECT_NE(emb.param[249LL * cfg.channels], 0.0f);
  EXPECT_EQ(block.adam_m, Floats(spec.size, 0.0f));
  EXPECT_EQ(block.step, 0);
}

TEST(Shard, ChecksumSeesEveryBit) {
  const auto cfg = GptConfig::preset("tiny");
  const auto a = make_shard(cfg, 3, 5);
  auto b = a;
  b.adam_v[17] = std::nextafter(b.adam_v[17], 1.0f);
  EXPECT_NE(a.checksum(), b.checksum());
  b = a;
  b.step = 1;
  EXPECT_NE(a.checksum(), b.checksum());
}

}  // namespace
}  // namespace parcae::model
