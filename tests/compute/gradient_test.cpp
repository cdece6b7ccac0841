// The whole model's loss and gradients against an independent double-precision
// forward (tests/model/reference_model.hpp) and its central finite differences.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "compute/reference_model.hpp"
#include "kernels/check.hpp"
#include "parcae/compute/stage.hpp"
#include "parcae/error.hpp"

namespace parcae::compute {
namespace {

using namespace parcae::testing;
using model::GptConfig;
using model::make_shard;
using model::MicroBatch;
using model::Shard;

// The tiny model, with every parameter moved off GPT-2's init (gains 1 and
// biases 0 would hide mistakes that multiply by them, and 0.02 weights leave
// attention nearly uniform): noise of 0.05 on every coordinate.
std::vector<Shard> perturbed_tiny(std::uint64_t seed) {
  const auto cfg = GptConfig::preset("tiny");
  std::vector<Shard> shards;
  Rng rng(seed + 100);
  for (int l = 0; l < cfg.num_layers(); ++l) {
    shards.push_back(make_shard(cfg, l, seed));
    for (auto& p : shards.back().param) p += static_cast<float>(0.05 * rng.normal());
  }
  return shards;
}

LayerParams as_double(const Stage& stage) {
  LayerParams params;
  for (int l = stage.first_layer(); l < stage.end_layer(); ++l)
    params.push_back(to_double(stage.copy_shard(l).param));
  return params;
}

TEST(ModelGradients, LossMatchesDoubleReference) {
  Stage stage(GptConfig::preset("tiny"), perturbed_tiny(1));
  const auto& cfg = stage.config();
  const int B = cfg.micro_batch, T = cfg.seq_len;  // the full 4 x 64
  Rng rng(2);
  const auto tokens = random_tokens(rng, B * T, cfg.vocab),
             targets = random_tokens(rng, B * T, cfg.vocab);
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
  Stage stage(GptConfig::preset("tiny"), perturbed_tiny(3));
  const auto cfg = stage.config();
  const int B = 2, T = 16;  // T < seq_len: runs may be shorter than the context
  Rng rng(4);
  const auto tokens = random_tokens(rng, B * T, cfg.vocab),
             targets = random_tokens(rng, B * T, cfg.vocab);
  const MicroBatch mb{tokens.data(), targets.data(), B, T};
  auto acts = stage.make_activations(B, T);
  stage.zero_grads();
  stage.forward(acts, mb, nullptr);
  stage.backward(acts, nullptr, nullptr, 1.0f / (B * T), nullptr);

  LayerParams params = as_double(stage);
  const double h = 1e-4;
  double worst = 0;
  for (int l = 0; l < cfg.num_layers(); ++l) {
    const auto grad = stage.copy_grad(l);
    for (const auto& t : stage.spec(l).tensors) {
      // The two largest-gradient coordinates and two random ones (which may
      // be exact zeros, e.g. embedding rows of absent tokens).
      std::vector<std::int64_t> order(t.size);
      std::iota(order.begin(), order.end(), t.offset);
      std::partial_sort(order.begin(), order.begin() + 2, order.end(),
                        [&](auto a, auto b) { return std::abs(grad[a]) > std::abs(grad[b]); });
      const std::vector<std::int64_t> coords = {order[0], order[1],
                                                t.offset + std::int64_t(rng.below(t.size)),
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
  const auto tokens = random_tokens(rng, B * T, cfg.vocab),
             targets = random_tokens(rng, B * T, cfg.vocab);
  const MicroBatch mb{tokens.data(), targets.data(), B, T};
  auto acts = whole.make_activations(B, T), acts1 = first.make_activations(B, T),
       acts2 = second.make_activations(B, T);
  const float dloss = 1.0f / (B * T);

  const double loss = whole.forward(acts, mb, nullptr);
  EXPECT_EQ(first.forward(acts1, mb, nullptr), 0.0);
  const double loss2 = second.forward(acts2, mb, first.output(acts1));
  DeviceArray<float> dx(cpu_backend(), NC);
  dx.upload(std::vector<float>(NC, 123.0f));  // overwritten, not accumulated
  second.backward(acts2, first.output(acts1), nullptr, dloss, dx.data());
  first.backward(acts1, nullptr, dx.data(), dloss, nullptr);
  whole.backward(acts, nullptr, nullptr, dloss, nullptr);

  EXPECT_EQ(loss, loss2);
  for (int l = 0; l < 3; ++l) EXPECT_EQ(whole.copy_grad(l), first.copy_grad(l)) << l;
  for (int l = 3; l < 6; ++l) EXPECT_EQ(whole.copy_grad(l), second.copy_grad(l)) << l;
}

TEST(ModelGradients, BackwardAccumulatesOverMicroBatches) {
  Stage stage(GptConfig::preset("tiny"), perturbed_tiny(6));
  const int B = 1, T = 8, V = stage.config().vocab;
  Rng rng(7);
  const auto tokens = random_tokens(rng, B * T, V), targets = random_tokens(rng, B * T, V);
  const MicroBatch mb{tokens.data(), targets.data(), B, T};
  auto acts = stage.make_activations(B, T);
  stage.zero_grads();
  stage.forward(acts, mb, nullptr);
  stage.backward(acts, nullptr, nullptr, 0.5f, nullptr);
  const auto once = stage.copy_grad(2);
  stage.backward(acts, nullptr, nullptr, 0.5f, nullptr);
  const auto twice = stage.copy_grad(2);
  for (std::size_t i = 0; i < once.size(); ++i)
    ASSERT_NEAR(twice[i], 2 * once[i], 1e-6 * (1 + std::abs(once[i])));
}

TEST(ModelTraining, AdamWStepsLowerTheLossOnAFixedBatch) {
  Stage stage(GptConfig::preset("tiny"), 0, 6, 11);
  const int B = 2, T = 32;
  // A learnable pattern: the target is the next token of a repeating ramp.
  std::vector<int> tokens(B * T), targets(B * T);
  for (int i = 0; i < B * T; ++i) tokens[i] = (3 * i) % 40, targets[i] = (3 * i + 3) % 40;
  const MicroBatch mb{tokens.data(), targets.data(), B, T};
  auto acts = stage.make_activations(B, T);
  const kernels::AdamW hp{.lr = 3e-3f, .weight_decay = 0.1f};
  double first = 0, last = 0;
  for (int step = 0; step < 30; ++step) {
    stage.zero_grads();
    last = stage.forward(acts, mb, nullptr);
    if (step == 0) first = last;
    stage.backward(acts, nullptr, nullptr, 1.0f / (B * T), nullptr);
    const double norm = std::sqrt(stage.grad_sq_norm());
    if (norm > 1.0) stage.scale_grads(static_cast<float>(1.0 / norm));
    stage.adamw_step(hp);
  }
  EXPECT_NEAR(first, std::log(256.0), 0.1);  // GPT-2 init: nearly uniform predictions
  EXPECT_LT(last, 0.5 * first);
  EXPECT_EQ(stage.copy_shard(0).step, 30);
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
  EXPECT_THROW(stage.forward(long_acts, {long_tokens.data(), long_tokens.data(), 1, 65}, nullptr),
               InputError);
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

// Initialisation is a function of (seed, layer): any partition gets the same shards.
TEST(StageState, IndependentOfThePartition) {
  const auto cfg = GptConfig::preset("tiny");
  const Stage whole(cfg, 0, cfg.num_layers(), 7);
  const Stage middle(cfg, 2, 4, 7);
  for (int l = 2; l < 4; ++l) EXPECT_EQ(whole.copy_shard(l), middle.copy_shard(l));
}

// What migration and checkpoints rely on: shards in, the same shards out,
// moments and step included, and training goes on from them identically.
TEST(StageState, ShardsRoundTripAndTrainingResumesIdentically) {
  const auto cfg = GptConfig::preset("tiny");
  Stage trained(cfg, 3, 6, 5);
  const int B = 1, T = 8;
  std::vector<int> tokens(B * T, 3), targets(B * T, 4);
  const MicroBatch mb{tokens.data(), targets.data(), B, T};
  DeviceArray<float> inp(cpu_backend(), std::size_t(B) * T * cfg.channels);
  Rng rng(8);
  inp.upload(to_float(random_vector(rng, inp.size())));
  auto acts = trained.make_activations(B, T);
  const kernels::AdamW hp{.lr = 1e-2f};
  auto step = [&](Stage& s) {
    s.zero_grads();
    const double loss = s.forward(acts, mb, inp.data());
    s.backward(acts, inp.data(), nullptr, 0.1f, nullptr);
    s.adamw_step(hp);
    return loss;
  };
  step(trained);
  std::vector<Shard> shards;
  for (int l = 3; l < 6; ++l) shards.push_back(trained.copy_shard(l));
  EXPECT_EQ(shards[0].step, 1);
  EXPECT_NE(shards[1].adam_v, model::Floats(shards[1].adam_v.size(), 0.0f));
  Stage resumed(cfg, shards);
  for (int l = 3; l < 6; ++l) EXPECT_EQ(resumed.copy_shard(l), shards[l - 3]) << l;
  EXPECT_EQ(step(trained), step(resumed));
  for (int l = 3; l < 6; ++l) EXPECT_EQ(resumed.copy_shard(l), trained.copy_shard(l)) << l;
}

TEST(StageState, AdamWDecaysMatricesOnly) {
  const auto cfg = GptConfig::preset("tiny");
  const auto spec = model::layer_spec(cfg, 1);
  auto shard = make_shard(cfg, 1, 5);
  for (auto& p : shard.param) p = 1.0f;
  Stage stage(cfg, {shard});
  stage.zero_grads();
  stage.adamw_step({.lr = 0.1f, .weight_decay = 0.5f});
  const Shard after = stage.copy_shard(1);
  EXPECT_EQ(after.step, 1);
  // Zero gradient: only the decoupled decay moves a weight, p -= lr * wd * p.
  EXPECT_FLOAT_EQ(after.param[spec.at("attn.qkv.weight").offset], 0.95f);
  EXPECT_FLOAT_EQ(after.param[spec.at("attn.qkv.bias").offset], 1.0f);
  EXPECT_FLOAT_EQ(after.param[spec.at("ln1.weight").offset], 1.0f);
}

}  // namespace
}  // namespace parcae::compute
