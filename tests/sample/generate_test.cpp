// The generation loop: greedy decoding through the KV cache picks what the
// full forward over the whole history picks, sampling is a pure function of
// the seed, and generation runs past the model's context.
#include "parcae/sample/generate.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "parcae/compute/stage.hpp"
#include "parcae/rng.hpp"

namespace parcae::sample {
namespace {

using model::GptConfig;

GptConfig config() {
  GptConfig cfg = GptConfig::preset("tiny");
  cfg.seq_len = 16;
  return cfg;
}

// Off GPT-2's init, so the logits have clear winners (and with large noise, a
// winner that depends on the whole context).
std::vector<model::Shard> shards(const GptConfig& cfg, double noise = 0.2) {
  std::vector<model::Shard> out;
  Rng rng(21);
  for (int l = 0; l < cfg.num_layers(); ++l) {
    out.push_back(model::make_shard(cfg, l, 20));
    for (auto& p : out.back().param) p += static_cast<float>(noise * rng.normal());
  }
  return out;
}

// The argmax of the next token after `history`, from the training forward over all of it.
int full_forward_argmax(compute::Stage& stage, const std::vector<int>& history) {
  const GptConfig& cfg = stage.config();
  const int T = static_cast<int>(history.size());
  auto acts = stage.make_activations(1, T);
  const std::vector<int> targets(T, 0);
  stage.forward(acts, {history.data(), targets.data(), 1, T}, nullptr);
  const float* last = acts.layers.back().probs + std::int64_t{T - 1} * cfg.padded_vocab();
  return static_cast<int>(std::max_element(last, last + cfg.vocab) - last);
}

TEST(Generate, GreedyMatchesTheFullForwardEveryToken) {
  const GptConfig cfg = config();
  const auto s = shards(cfg);
  compute::Decoder decoder(cfg, s);
  const std::vector<int> prompt = {'T', 'o', ' '};
  GenerationOptions options;
  options.sampling = {0.0, 0};
  options.tokens = cfg.seq_len - static_cast<int>(prompt.size());  // the whole context
  const auto got = generate(decoder, prompt, options);
  ASSERT_EQ(static_cast<int>(got.size()), options.tokens);
  compute::Stage stage(cfg, s);
  std::vector<int> history = prompt;
  for (const int token : got) {
    EXPECT_EQ(token, full_forward_argmax(stage, history)) << "after " << history.size();
    history.push_back(token);
  }
}

// Past the context the cache restarts from the last T/2 tokens: every token is
// still the full forward's argmax over exactly the tokens the cache then holds.
TEST(Generate, GreedyPastTheContextMatchesTheFullForwardOverTheRefilledWindow) {
  const GptConfig cfg = config();
  const auto s = shards(cfg, 1.0);
  compute::Decoder decoder(cfg, s);
  const std::vector<int> prompt = {'A'};
  GenerationOptions options;
  options.sampling = {0.0, 0};
  options.tokens = 5 * cfg.seq_len / 2;
  const auto got = generate(decoder, prompt, options);
  compute::Stage stage(cfg, s);
  std::vector<int> fed = prompt;  // what the decoder's cache holds before each draw
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i], full_forward_argmax(stage, fed)) << "token " << i;
    fed.push_back(got[i]);
    if (static_cast<int>(fed.size()) > cfg.seq_len)
      fed.erase(fed.begin(), fed.end() - cfg.seq_len / 2);
  }
}

TEST(Generate, SameSeedSameTokensPastTheContext) {
  const GptConfig cfg = config();
  const auto s = shards(cfg);
  compute::Decoder decoder(cfg, s);
  GenerationOptions options;
  options.sampling = {1.0, 40};
  options.tokens = 3 * cfg.seq_len + 5;  // two re-fills of the cache
  options.seed = 5;
  std::vector<int> streamed;
  const auto a = generate(decoder, std::vector<int>{'\n'}, options,
                          [&](int t) { streamed.push_back(t); });
  EXPECT_EQ(static_cast<int>(a.size()), options.tokens);
  EXPECT_EQ(streamed, a);
  EXPECT_EQ(generate(decoder, std::vector<int>{'\n'}, options), a);
  options.seed = 6;
  EXPECT_NE(generate(decoder, std::vector<int>{'\n'}, options), a);
}

TEST(Generate, APromptLongerThanTheContextKeepsItsEnd) {
  const GptConfig cfg = config();
  const auto s = shards(cfg);
  compute::Decoder decoder(cfg, s);
  std::vector<int> long_prompt(40, 'a');
  for (int i = 0; i < cfg.seq_len; ++i) long_prompt[40 - cfg.seq_len + i] = 'a' + i;
  const std::vector<int> tail(long_prompt.end() - cfg.seq_len, long_prompt.end());
  GenerationOptions options;
  options.sampling = {0.0, 0};
  options.tokens = 4;
  EXPECT_EQ(generate(decoder, long_prompt, options), generate(decoder, tail, options));
}

}  // namespace
}  // namespace parcae::sample
