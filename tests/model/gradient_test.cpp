// The whole model's loss and gradients against an independent double-precision
// forward (tests/model/reference_model.hpp) and its central finite differences.
#include <algorithm>
#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

#include "kernels/check.hpp"
#include "model/reference_model.hpp"
#include "parcae/error.hpp"
#include "parcae/model/stage.hpp"

namespace parcae::model {
namespace {

using namespace parcae::testing;

// The tiny model, with every parameter moved off GPT-2's init (gains 1 and
// biases 0 would hide mistakes that multiply by them, and 0.02 weights leave
// attention nearly uniform): noise of 0.05 on every coordinate.
Stage perturbed_tiny(std::uint64_t seed) {
  Stage stage(GptConfig::preset("tiny"), 0, 6, seed);
  Rng rng(seed + 100);
  for (auto& shard : stage.shards())
    for (auto& p : shard.param) p += static_cast<float>(0.05 * rng.normal());
  return stage;
}

LayerParams as_double(Stage& stage) {
  LayerParams params;
  for (auto& shard : stage.shards()) params.push_back(to_double(shard.param));
  return params;
}

TEST(ModelGradients, LossMatchesDoubleReference) {
  Stage stage = perturbed_tiny(1);
  const auto& cfg = stage.config();
  const int B = cfg.micro_batch, T = cfg.seq_len;  // the full 4 x 64
  Rng rng(2);
  const auto tokens = random_tokens(rng, B * T, cfg.vocab), targets = random_tokens(rng, B * T, cfg.vocab);
  auto acts = stage.make_activations(B, T);
  const double loss = stage.forward(acts, {tokens.data(), targets.data(), B, T}, nullptr);
  const double ref = reference_loss(cfg, as_double(stage), tokens.data(), targets.data(), B, T);
  EXPECT_NEAR(loss, ref, kFloatTolerance * ref);
  EXPECT_GT(ref, 4.0);  // near ln 256 = 5.55 for random targets
}

// Central differences of the double forward, h = 1e-4: truncation error
// ~h^2 |d3L| ~ 1e-8 and rounding ~1e-16 * 5.5 / h ~ 1e-11, both far below the
// float gradient's own error (float rounding through six layers), so the
// tolerance measures the float gradient alone. The worst tensor measures
// 8e-7; 1e-4 leaves two orders of magnitude, and a wrong or missing term (an
// O(1) relative error) still fails loudly.
TEST(ModelGradients, MatchFiniteDifferencesOnEveryTensor) {
  Stage stage = perturbed_tiny(3);
  const auto cfg = stage.config();
  const int B = 2, T = 16;  // T < seq_len: runs may be shorter than the context
  Rng rng(4);
  const auto tokens = random_tokens(rng, B * T, cfg.vocab), targets = random_tokens(rng, B * T, cfg.vocab);
  const MicroBatch mb{tokens.data(), targets.data(), B, T};
  auto acts = stage.make_activations(B, T);
  stage.zero_grads();
  stage.forward(acts, mb, nullptr);
  stage.backward(acts, mb, nullptr, nullptr, 1.0f / (B * T), nullptr);

  LayerParams params = as_double(stage);
  const double h = 1e-4;
  double worst = 0;
  for (int l = 0; l < cfg.num_layers(); ++l) {
    const auto& grad = stage.grad(l);
    for (const auto& t : stage.spec(l).tensors) {
      // The two largest-gradient coordinates and two random ones (which may
      // be exact zeros, e.g. embedding rows of absent tokens).
      std::vector<std::int64_t> order(t.size);
      std::iota(order.begin(), order.end(), t.offset);
      std::partial_sort(order.begin(), order.begin() + 2, order.end(),
                        [&](auto a, auto b) { return std::abs(grad[a]) > std::abs(grad[b]); });
      const std::vector<std::int64_t> coords = {order[0], order[1], t.offset + std::int64_t(rng.below(t.size)),
                                                t.offset + std::int64_t(rng.below(t.size))};
      double diff = 0, norm = 0;
      for (auto i : coords) {
        const double keep = params[l][i];
        params[l][i] = keep + h;
        const double up = reference_loss(cfg, params, tokens.data(), targets.data(), B, T);
        params[l][i] = keep - h;
        const double down = reference_loss(cfg, params, tokens.data(), targets.data(), B, T);
        params[l][i] = keep;
        const double fd = (up - down) / (2 * h);
        diff += (fd - grad[i]) * (fd - grad[i]);
        norm += fd * fd;
      }
      const double err = std::sqrt(diff / norm);
      worst = std::max(worst, err);
      EXPECT_LE(err, 1e-4) << stage.spec(l).name() << " " << t.name;
    }
  }
  RecordProperty("worst_relative_error", std::to_string(worst));
  std::printf("worst norm-wise relative gradient error: %.3g\n", worst);
}

// A pipeline of two stages computes exactly what the whole model does: the
// same kernels on the same numbers, so the same bits.
TEST(ModelGradients, TwoStagesEqualTheWholeModelBitForBit) {
  const auto cfg = GptConfig::preset("tiny");
  Stage whole(cfg, 0, 6, 9), first(cfg, 0, 3, 9), second(cfg, 3, 6, 9);
  const int B = 2, T = 32, NC = B * T * cfg.channels;
  Rng rng(5);
  const auto tokens = random_tokens(rng, B * T, cfg.vocab), targets = random_tokens(rng, B * T, cfg.vocab);
  const MicroBatch mb{tokens.data(), targets.data(), B, T};
  auto acts = whole.make_activations(B, T), acts1 = first.make_activations(B, T),
       acts2 = second.make_activations(B, T);
  const float dloss = 1.0f / (B * T);

  const double loss = whole.forward(acts, mb, nullptr);
  whole.backward(acts, mb, nullptr, nullptr, dloss, nullptr);
  EXPECT_EQ(first.forward(acts1, mb, nullptr), 0.0);
  const double loss2 = second.forward(acts2, mb, first.output(acts1));
  std::vector<float> dx(NC, 123.0f);  // overwritten, not accumulated
  second.backward(acts2, mb, first.output(acts1), nullptr, dloss, dx.data());
  first.backward(acts1, mb, nullptr, dx.data(), dloss, nullptr);

  EXPECT_EQ(loss, loss2);
  for (int l = 0; l < 3; ++l) EXPECT_EQ(whole.grad(l), first.grad(l)) << l;
  for (int l = 3; l < 6; ++l) EXPECT_EQ(whole.grad(l), second.grad(l)) << l;
}

TEST(ModelGradients, BackwardAccumulatesOverMicroBatches) {
  Stage stage = perturbed_tiny(6);
  const int B = 1, T = 8, V = stage.config().vocab;
  Rng rng(7);
  const auto tokens = random_tokens(rng, B * T, V), targets = random_tokens(rng, B * T, V);
  const MicroBatch mb{tokens.data(), targets.data(), B, T};
  auto acts = stage.make_activations(B, T);
  stage.zero_grads();
  stage.forward(acts, mb, nullptr);
  stage.backward(acts, mb, nullptr, nullptr, 0.5f, nullptr);
  const auto once = stage.grad(2);
  stage.backward(acts, mb, nullptr, nullptr, 0.5f, nullptr);
  for (std::size_t i = 0; i < once.size(); ++i) ASSERT_NEAR(stage.grad(2)[i], 2 * once[i], 1e-6 * (1 + std::abs(once[i])));
}

TEST(ModelTraining, AdamWStepsLowerTheLossOnAFixedBatch) {
  Stage stage(GptConfig::preset("tiny"), 0, 6, 11);
  const int B = 2, T = 32;
  // A learnable pattern: the target is the next token of a repeating ramp.
  std::vector<int> tokens(B * T), targets(B * T);
  for (int i = 0; i < B * T; ++i) tokens[i] = (3 * i) % 40, targets[i] = (3 * i + 3) % 40;
  const MicroBatch mb{tokens.data(), targets.data(), B, T};
  auto acts = stage.make_activations(B, T);
  const kernels::cpu::AdamW hp{.lr = 3e-3f, .weight_decay = 0.1f};
  double first = 0, last = 0;
  for (int step = 0; step < 30; ++step) {
    stage.zero_grads();
    last = stage.forward(acts, mb, nullptr);
    if (step == 0) first = last;
    stage.backward(acts, mb, nullptr, nullptr, 1.0f / (B * T), nullptr);
    const double norm = std::sqrt(stage.grad_sq_norm());
    if (norm > 1.0) stage.scale_grads(static_cast<float>(1.0 / norm));
    stage.adamw_step(hp);
  }
  EXPECT_NEAR(first, std::log(256.0), 0.1);  // GPT-2 init: nearly uniform predictions
  EXPECT_LT(last, 0.5 * first);
  EXPECT_EQ(stage.shard(0).step, 30);
}

TEST(MicroBatchCheck, TokensOutsideTheVocabularyAreInputErrors) {
  Stage stage(GptConfig::preset("tiny"), 0, 6, 1);
  std::vector<int> tokens(8, 1), targets(8, 1);
  auto acts = stage.make_activations(1, 8);
  tokens[5] = 256;
  try {
    stage.forward(acts, {tokens.data(), targets.data(), 1, 8}, nullptr);
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "token 256 at position 5 is outside the vocabulary [0, 256)");
  }
  tokens[5] = 1;
  targets[0] = -1;
  EXPECT_THROW(stage.forward(acts, {tokens.data(), targets.data(), 1, 8}, nullptr), InputError);
  std::vector<int> long_tokens(65, 1);
  auto long_acts = stage.make_activations(1, 65);
  EXPECT_THROW(stage.forward(long_acts, {long_tokens.data(), long_tokens.data(), 1, 65}, nullptr), InputError);
}

TEST(StageShape, RefusesGapsAndWrongSizes) {
  const auto cfg = GptConfig::preset("tiny");
  std::vector<Shard> shards = {make_shard(cfg, 1, 1), make_shard(cfg, 3, 1)};
  EXPECT_THROW(Stage(cfg, shards), InputError);
  EXPECT_THROW(Stage(cfg, 2, 7, 1), InputError);
  auto other = cfg;
  other.channels = 32;
  EXPECT_THROW(Stage(other, {make_shard(cfg, 1, 1)}), InputError);
}

}  // namespace
}  // namespace parcae::model
