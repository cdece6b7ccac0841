#include <gtest/gtest.h>

#include "parcae/error.hpp"
#include "parcae/model/config.hpp"
#include "parcae/model/layers.hpp"

namespace parcae::model {
namespace {

std::string message_of(const GptConfig& cfg) {
  try {
    cfg.validate();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(GptConfig, Presets) {
  const auto tiny = GptConfig::preset("tiny");
  EXPECT_EQ(tiny, (GptConfig{.vocab = 256, .seq_len = 64, .channels = 64, .layers = 4, .heads = 4, .micro_batch = 4}));
  const auto small = GptConfig::preset("small");
  EXPECT_EQ(small.channels, 384);
  EXPECT_EQ(small.layers, 6);
  EXPECT_EQ(small.heads, 6);
  EXPECT_EQ(small.seq_len, 256);
  const auto gpt2 = GptConfig::preset("gpt2-124m");
  EXPECT_EQ(gpt2.vocab, 50257);
  EXPECT_EQ(gpt2.padded_vocab(), 50304);  // as llm.c pads it
  EXPECT_EQ(gpt2.head_size(), 64);
  EXPECT_EQ(gpt2.num_layers(), 14);
  for (const char* name : {"tiny", "small", "gpt2-124m"}) EXPECT_NO_THROW(GptConfig::preset(name).validate());
  EXPECT_EQ(tiny.describe(), "V=256 T=64 C=64 L=4 H=4 B=4");
}

TEST(GptConfig, UnknownPresetNamesTheChoices) {
  try {
    GptConfig::preset("gpt5");
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'gpt5'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("tiny, small or gpt2-124m"), std::string::npos);
  }
}

TEST(GptConfig, HeadsMustDivideChannels) {
  auto cfg = GptConfig::preset("tiny");
  cfg.heads = 5;
  EXPECT_EQ(message_of(cfg),
            "model config: heads (5) must divide channels (64): each head gets channels / heads of them");
}

TEST(GptConfig, SizesMustBePositive) {
  for (int field = 0; field < 6; ++field) {
    auto cfg = GptConfig::preset("tiny");
    int* fields[] = {&cfg.vocab, &cfg.seq_len, &cfg.channels, &cfg.layers, &cfg.heads, &cfg.micro_batch};
    *fields[field] = 0;
    EXPECT_NE(message_of(cfg).find("must be at least 1, got 0"), std::string::npos) << field;
  }
}

TEST(GptConfig, ActivationsBeyondIntIndexingAreRefused) {
  auto cfg = GptConfig::preset("gpt2-124m");
  cfg.micro_batch = 64;  // 64 x 1024 rows x 50304 logits > 2^31
  EXPECT_NE(message_of(cfg).find("exceed 2^31"), std::string::npos);
}

TEST(LayerSpec, Gpt2SmallParameterCount) {
  const auto cfg = GptConfig::preset("gpt2-124m");
  const auto sizes = layer_sizes(cfg);
  ASSERT_EQ(sizes.size(), 14u);
  EXPECT_EQ(sizes[0], 50304LL * 768 + 1024 * 768);  // wte (padded) + wpe
  for (int l = 1; l <= 12; ++l) EXPECT_EQ(sizes[l], 7087872);  // GPT-2 small's block
  EXPECT_EQ(sizes[13], 2 * 768 + 50304LL * 768);  // lnf + untied lm_head
  std::int64_t total = 0;
  for (auto s : sizes) total += s;
  // 124.4M with the head tied to wte (GPT-2's count) + 38.6M for our untied head.
  EXPECT_EQ(total, 163109376);
}

TEST(LayerSpec, TablesAreContiguousAndNamed) {
  const auto cfg = GptConfig::preset("tiny");
  for (int l = 0; l < cfg.num_layers(); ++l) {
    const auto spec = layer_spec(cfg, l);
    std::int64_t next = 0;
    for (const auto& t : spec.tensors) {
      EXPECT_EQ(t.offset, next) << spec.name() << " " << t.name;
      std::int64_t size = 1;
      for (auto d : t.shape) size *= d;
      EXPECT_EQ(t.size, size);
      EXPECT_EQ(t.decay, t.shape.size() == 2) << t.name;
      next += t.size;
    }
    EXPECT_EQ(spec.size, next);
  }
  EXPECT_EQ(layer_spec(cfg, 0).name(), "embedding");
  EXPECT_EQ(layer_spec(cfg, 1).name(), "block0");
  EXPECT_EQ(layer_spec(cfg, 5).name(), "head");
  const auto block = layer_spec(cfg, 2);
  EXPECT_EQ(block.at("mlp.proj.weight").shape, (std::vector<std::int64_t>{64, 256}));
  EXPECT_THROW(block.at("wte"), std::out_of_range);
  EXPECT_THROW(layer_spec(cfg, 6), std::out_of_range);
}

}  // namespace
}  // namespace parcae::model
