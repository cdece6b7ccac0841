// Temperature and top-k sampling: a pure function of the generator's state,
// greedy where asked, never outside the top k, and drawing with softmax's
// probabilities.
#include "parcae/sample/sampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace parcae::sample {
namespace {

std::vector<float> some_logits() { return {0.5f, 2.0f, -1.0f, 1.5f, 2.0f, 0.0f, -3.0f, 1.0f}; }

TEST(Sampler, ArgmaxTakesTheLowestIndexAmongEqualMaxima) {
  EXPECT_EQ(argmax(some_logits()), 1);  // 2.0 at 1 and 4
}

TEST(Sampler, TopKOneAndTemperatureZeroAreArgmax) {
  const auto logits = some_logits();
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    Rng rng(seed);
    EXPECT_EQ(sample_token(logits, {1.0, 1}, rng), 1);
    EXPECT_EQ(sample_token(logits, {0.0, 0}, rng), 1);
    EXPECT_EQ(sample_token(logits, {5.0, 1}, rng), 1);
  }
}

TEST(Sampler, SameSeedSameTokensAndSeedsDiffer) {
  const auto logits = some_logits();
  auto draw = [&](std::uint64_t seed) {
    Rng rng(seed);
    std::vector<int> out;
    for (int i = 0; i < 200; ++i) out.push_back(sample_token(logits, {1.0, 0}, rng));
    return out;
  };
  EXPECT_EQ(draw(7), draw(7));
  EXPECT_NE(draw(7), draw(8));
}

TEST(Sampler, TopKNeverLeavesTheKLikeliest) {
  const auto logits = some_logits();  // the three likeliest: 1, 4 (2.0), 3 (1.5)
  Rng rng(3);
  std::vector<int> seen(logits.size());
  for (int i = 0; i < 3000; ++i) ++seen[sample_token(logits, {2.0, 3}, rng)];
  for (int t : {0, 2, 5, 6, 7}) EXPECT_EQ(seen[t], 0) << "token " << t;
  for (int t : {1, 3, 4}) EXPECT_GT(seen[t], 500) << "token " << t;
}

// Frequencies over 40 000 draws against softmax(logits / T): each within 4
// standard deviations of its binomial count (a false alarm ~1e-4 per token;
// the draws are seeded, so the test never flickers).
TEST(Sampler, FrequenciesFollowTheTemperedSoftmax) {
  const auto logits = some_logits();
  for (const double temperature : {0.5, 1.0, 2.0}) {
    std::vector<double> p(logits.size());
    double total = 0;
    for (std::size_t i = 0; i < p.size(); ++i) total += p[i] = std::exp(logits[i] / temperature);
    Rng rng(11);
    const int n = 40000;
    std::vector<int> seen(logits.size());
    for (int i = 0; i < n; ++i) ++seen[sample_token(logits, {temperature, 0}, rng)];
    for (std::size_t i = 0; i < p.size(); ++i) {
      const double expected = n * p[i] / total;
      const double sd = std::sqrt(expected * (1 - p[i] / total));
      EXPECT_NEAR(seen[i], expected, 4 * sd + 1) << "token " << i << " at T " << temperature;
    }
  }
}

TEST(Sampler, RefusesBrokenLogits) {
  auto logits = some_logits();
  logits[5] = std::numeric_limits<float>::quiet_NaN();
  Rng rng(1);
  EXPECT_THROW(sample_token(logits, {1.0, 0}, rng), std::invalid_argument);
  EXPECT_THROW(sample_token({}, {1.0, 0}, rng), std::invalid_argument);
}

}  // namespace
}  // namespace parcae::sample
