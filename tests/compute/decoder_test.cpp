// Generation with a KV cache computes what the full forward computes: the
// decoder's logits at every position, fed one token at a time, against the
// double-precision whole-model reference over the same tokens, and its
// next-token probabilities against the training forward's (Stage::forward).
#include "parcae/compute/decoder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "compute/reference_model.hpp"
#include "kernels/check.hpp"
#include "parcae/compute/device_choice.hpp"
#include "parcae/error.hpp"
#include "parcae/kernels/cuda.hpp"

namespace parcae::compute {
namespace {

using namespace parcae::testing;
using model::GptConfig;
using model::Shard;

// Parameters moved off GPT-2's init (0.02 weights leave attention near uniform
// and logits near zero, which would hide a wrong position or cache row).
std::vector<Shard> perturbed(const GptConfig& cfg, std::uint64_t seed) {
  std::vector<Shard> shards;
  Rng rng(seed + 100);
  for (int l = 0; l < cfg.num_layers(); ++l) {
    shards.push_back(model::make_shard(cfg, l, seed));
    for (auto& p : shards.back().param) p += static_cast<float>(0.1 * rng.normal());
  }
  return shards;
}

GptConfig small_context() {
  GptConfig cfg = GptConfig::preset("tiny");
  cfg.seq_len = 24;
  return cfg;
}

TEST(Decoder, LogitsAtEveryPositionMatchDoubleReference) {
  const GptConfig cfg = small_context();
  const auto shards = perturbed(cfg, 3);
  LayerParams params;
  for (const auto& s : shards) params.push_back(to_double(s.param));
  Rng rng(4);
  const int T = cfg.seq_len;
  const auto tokens = random_tokens(rng, T, cfg.vocab);
  const auto want = reference_logits(cfg, params, tokens.data(), 1, T);

  Decoder decoder(cfg, shards);
  double worst = 0;
  for (int t = 0; t < T; ++t) {
    ASSERT_EQ(decoder.position(), t);
    const auto logits = decoder.step(tokens[t]);
    ASSERT_EQ(static_cast<int>(logits.size()), cfg.vocab);
    const std::vector<float> got(logits.begin(), logits.end());
    const std::vector<double> ref(want.begin() + std::int64_t{t} * cfg.padded_vocab(),
                                  want.begin() + std::int64_t{t} * cfg.padded_vocab() + cfg.vocab);
    const double err = rel_error(got, ref);
    EXPECT_LE(err, kFloatTolerance) << "position " << t;
    worst = std::max(worst, err);
  }
  // The logits are not near zero (the comparison means something).
  double norm = 0;
  for (int v = 0; v < cfg.vocab; ++v) norm += want[v] * want[v];
  EXPECT_GT(std::sqrt(norm / cfg.vocab), 0.3);
  std::cout << "worst relative error of the decoder's logits: " << worst << "\n";
}

TEST(Decoder, ProbabilitiesMatchTrainingForward) {
  const GptConfig cfg = small_context();
  const auto shards = perturbed(cfg, 5);
  Rng rng(6);
  const int T = cfg.seq_len;
  const auto tokens = random_tokens(rng, T, cfg.vocab), targets = random_tokens(rng, T, cfg.vocab);
  Stage stage(cfg, shards);
  auto acts = stage.make_activations(1, T);
  stage.forward(acts, {tokens.data(), targets.data(), 1, T}, nullptr);
  const float* probs = acts.layers.back().probs;  // CPU backend: host memory

  Decoder decoder(cfg, shards);
  for (int t = 0; t < T; ++t) {
    const auto logits = decoder.step(tokens[t]);
    const double mx = *std::max_element(logits.begin(), logits.end());
    double sum = 0;
    for (float l : logits) sum += std::exp(l - mx);
    double worst = 0;
    for (int v = 0; v < cfg.vocab; ++v) {
      const double log_p = logits[v] - mx - std::log(sum);
      worst = std::max(worst, std::abs(log_p - std::log(probs[t * cfg.padded_vocab() + v])));
    }
    EXPECT_LE(worst, 1e-4) << "position " << t << ": largest |log p| difference";
  }
}

TEST(Decoder, ResetStartsOverAndFullContextIsRefused) {
  const GptConfig cfg = small_context();
  const auto shards = perturbed(cfg, 7);
  Decoder decoder(cfg, shards);
  const auto s0 = decoder.step(10);
  const std::vector<float> p0(s0.begin(), s0.end());
  decoder.step(20);
  decoder.reset();
  EXPECT_EQ(decoder.position(), 0);
  const auto s1 = decoder.step(10);
  EXPECT_EQ(std::vector<float>(s1.begin(), s1.end()), p0);  // the same bits: nothing left over
  for (int t = 1; t < cfg.seq_len; ++t) decoder.step(t % cfg.vocab);
  EXPECT_THROW(decoder.step(1), std::logic_error);
  decoder.reset();
  EXPECT_THROW(decoder.step(cfg.vocab), InputError);
  EXPECT_THROW(decoder.step(-1), InputError);
}

TEST(Decoder, RefusesAnIncompleteModel) {
  const GptConfig cfg = small_context();
  auto shards = perturbed(cfg, 8);
  shards.pop_back();
  EXPECT_THROW(Decoder(cfg, shards), InputError);
}

// The same decoding on a GPU (the CUDA kernels, the cache in device memory):
// the logits of every position match the CPU decoder's. Skipped without a GPU.
TEST(Decoder, CudaMatchesCpu) {
  if (kernels::cuda::device_count() == 0) GTEST_SKIP() << kernels::cuda::no_device_reason();
  const GptConfig cfg = small_context();
  const auto shards = perturbed(cfg, 9);
  Decoder on_cpu(cfg, shards), on_gpu(cfg, shards, backend_for(DeviceChoice{Device::cuda, 0}));
  Rng rng(10);
  const auto tokens = random_tokens(rng, cfg.seq_len, cfg.vocab);
  for (int t = 0; t < cfg.seq_len; ++t) {
    const auto want = on_cpu.step(tokens[t]);
    const std::vector<double> ref(want.begin(), want.end());
    const auto got = on_gpu.step(tokens[t]);
    EXPECT_LE(rel_error(std::vector<float>(got.begin(), got.end()), ref), 1e-5) << "position " << t;
  }
}

}  // namespace
}  // namespace parcae::compute
