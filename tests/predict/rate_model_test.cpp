// The preemption / allocation distribution: estimates on hand-made windows,
// probability mass functions that sum to one, and a level distribution that
// agrees with its own one-step transition.
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "parcae/predict/rate_model.hpp"

namespace parcae::predict {
namespace {

using trace::Interval;

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

double mean_of(const std::vector<double>& pmf) {
  double m = 0.0;
  for (std::size_t k = 0; k < pmf.size(); ++k) m += k * pmf[k];
  return m;
}

// 10 alive throughout: one interval allocates 10, then 9 quiet intervals,
// then one preemption of 2 balanced by an allocation of 2.
std::vector<Interval> window() {
  std::vector<Interval> w{{10, 10, 0}};
  for (int i = 0; i < 9; ++i) w.push_back({10, 0, 0});
  w.push_back({10, 2, 2});
  return w;
}

TEST(RateModel, PreemptionProbabilityIsPreemptedOverExposed) {
  const auto model = fit_rate_model(window());
  // Exposure: 0 alive before the first interval, then 10 for each of the other 10.
  EXPECT_NEAR(model.preempt_probability, (2 + 0.5) / (100 + 1.0), 1e-12);
  EXPECT_EQ(model.cap, 10);
  EXPECT_EQ(model.intervals, 11);
}

TEST(RateModel, ClusteredPreemptionsShowAsCorrelation) {
  // Same total preempted, all in one interval vs. spread one per interval.
  std::vector<Interval> clustered, spread;
  for (int i = 0; i < 20; ++i) {
    clustered.push_back(i == 10 ? Interval{20, 5, 5} : Interval{20, i == 0 ? 20 : 0, 0});
    spread.push_back(i >= 10 && i < 15 ? Interval{20, 1, 1} : Interval{20, i == 0 ? 20 : 0, 0});
  }
  EXPECT_GT(fit_rate_model(clustered).preempt_correlation, 0.05);
  EXPECT_LT(fit_rate_model(spread).preempt_correlation, fit_rate_model(clustered).preempt_correlation);
}

TEST(RateModel, PmfsSumToOneWithTheRightMeans) {
  const auto model = fit_rate_model(window());
  for (int alive : {0, 1, 7, 32}) {
    const auto out = preemption_pmf(model, alive);
    ASSERT_EQ(out.size(), static_cast<std::size_t>(alive + 1));
    EXPECT_NEAR(sum(out), 1.0, 1e-12);
    EXPECT_NEAR(mean_of(out), alive * model.preempt_probability, 1e-9);
  }
  for (int free : {0, 1, 5}) {
    const auto in = allocation_pmf(model, free);
    ASSERT_EQ(in.size(), static_cast<std::size_t>(free + 1));
    EXPECT_NEAR(sum(in), 1.0, 1e-12);
  }
  // Allocation counts seen: 10 (once), 0 (9 times), 2 (once), add-one smoothed on 0..11.
  EXPECT_NEAR(model.allocation_pmf[0], 10.0 / 23.0, 1e-12);
  EXPECT_NEAR(model.allocation_pmf[2], 2.0 / 23.0, 1e-12);
}

TEST(RateModel, LevelDistributionChainsTheOneStepTransition) {
  const auto model = fit_rate_model(window());
  const auto steps = level_distribution(model, 8, 3);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0], next_level_pmf(model, 8));
  for (const auto& pmf : steps) {
    ASSERT_EQ(pmf.size(), 11u);
    EXPECT_NEAR(sum(pmf), 1.0, 1e-12);
  }
  std::vector<double> two(11, 0.0);
  for (int n = 0; n <= 10; ++n) {
    const auto next = next_level_pmf(model, n);
    for (std::size_t m = 0; m < next.size(); ++m) two[m] += steps[0][n] * next[m];
  }
  for (int m = 0; m <= 10; ++m) EXPECT_NEAR(steps[1][m], two[m], 1e-12);
}

TEST(RateModel, QuietHistoryStillAllowsPreemption) {
  std::vector<Interval> quiet(30, Interval{16, 0, 0});
  quiet[0] = {16, 16, 0};
  const auto model = fit_rate_model(quiet);
  EXPECT_GT(model.preempt_probability, 0.0);
  EXPECT_LT(model.preempt_probability, 0.01);
}

TEST(RateModel, WindowLimitsWhatIsLearnt) {
  std::vector<Interval> h;
  h.push_back({20, 20, 0});
  for (int i = 0; i < 50; ++i) h.push_back({20, 4, 4});  // stormy past
  for (int i = 0; i < 20; ++i) h.push_back({20, 0, 0});  // quiet present
  RateModelOptions recent;
  recent.window = 20;
  EXPECT_LT(fit_rate_model(h, recent).preempt_probability, fit_rate_model(h, {0, 0}).preempt_probability);
}

}  // namespace
}  // namespace parcae::predict
