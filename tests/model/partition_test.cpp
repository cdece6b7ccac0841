#include <functional>

#include <gtest/gtest.h>

#include "parcae/error.hpp"
#include "parcae/model/partition.hpp"
#include "parcae/rng.hpp"

namespace parcae::model {
namespace {

// The smallest bottleneck over every contiguous split (exhaustive).
double brute_force_bottleneck(const std::vector<double>& costs, int stages) {
  const int n = static_cast<int>(costs.size());
  std::function<double(int, int)> go = [&](int start, int left) -> double {
    if (left == 1) {
      double total = 0;
      for (int i = start; i < n; ++i) total += costs[i];
      return total;
    }
    double best = 1e300, first = 0;
    for (int end = start + 1; end <= n - (left - 1); ++end) {
      first += costs[end - 1];
      best = std::min(best, std::max(first, go(end, left - 1)));
    }
    return best;
  };
  return go(0, stages);
}

TEST(Partition, ContiguousCoveringAndNonEmpty) {
  const std::vector<double> costs(8, 1.0);
  for (int P = 1; P <= 8; ++P) {
    const auto stages = partition_layers(costs, P);
    ASSERT_EQ(static_cast<int>(stages.size()), P);
    EXPECT_EQ(stages.front().first_layer, 0);   // embedding on the first stage
    EXPECT_EQ(stages.back().end_layer, 8);      // head on the last
    for (int s = 0; s < P; ++s) {
      EXPECT_GE(stages[s].size(), 1);
      if (s > 0) {
        EXPECT_EQ(stages[s].first_layer, stages[s - 1].end_layer);
      }
    }
  }
}

TEST(Partition, OptimalAgainstBruteForce) {
  Rng rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + static_cast<int>(rng.below(9));
    std::vector<double> costs(n);
    for (auto& c : costs) c = 0.1 + rng.uniform() * 3;
    const int P = 1 + static_cast<int>(rng.below(n));
    const auto stages = partition_layers(costs, P);
    EXPECT_NEAR(bottleneck(costs, stages), brute_force_bottleneck(costs, P), 1e-12);
  }
}

TEST(Partition, HeavyEndsGetStagesOfTheirOwn) {
  // A large-vocabulary embedding and head outweigh the blocks.
  const std::vector<double> costs = {6, 1, 1, 1, 1, 1, 1, 6};
  const auto stages = partition_layers(costs, 3);
  EXPECT_EQ(stages[0], (StageRange{0, 1}));
  EXPECT_EQ(stages[2], (StageRange{7, 8}));
  EXPECT_DOUBLE_EQ(bottleneck(costs, stages), 6.0);
}

TEST(Partition, EvenSplitIsDeterministic) {
  const std::vector<double> costs(6, 1.0);
  const auto stages = partition_layers(costs, 4);
  EXPECT_EQ(stages, partition_layers(costs, 4));
  EXPECT_DOUBLE_EQ(bottleneck(costs, stages), 2.0);
}

TEST(Partition, RejectsMoreStagesThanLayers) {
  const std::vector<double> costs(6, 1.0);
  EXPECT_THROW(partition_layers(costs, 7), InputError);
  EXPECT_THROW(partition_layers(costs, 0), InputError);
}

}  // namespace
}  // namespace parcae::model
