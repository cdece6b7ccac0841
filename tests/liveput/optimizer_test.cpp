// The look-ahead DP against brute force over every configuration path.
#include <random>

#include "brute_force.hpp"
#include "parcae/liveput/optimizer.hpp"
#include "small_model.hpp"
#include "test_support.hpp"

namespace parcae::liveput {
namespace {

using testing::brute_force_best;

TEST(Optimizer, AccountingSpillsAndReplaces) {
  // 70 s of migration in a 60 s interval: nothing trains, 10 s spill over.
  IntervalOutcome o = account_interval(60000, 0, 70000, 5000);
  EXPECT_EQ(o.train_s, 0.0);
  EXPECT_EQ(o.pending_ms, 10000.0);
  // A new migration while 10 s are pending: its own cost + a concurrent restart.
  o = account_interval(60000, 10000, 20000, 5000);
  EXPECT_EQ(o.train_s, 35.0);
  EXPECT_EQ(o.pending_ms, 0.0);
  // No new migration: the pending time is served.
  o = account_interval(60000, 10000, 0, 5000);
  EXPECT_EQ(o.train_s, 50.0);
  EXPECT_EQ(o.busy_ms, 10000.0);
}

TEST(Optimizer, DynamicProgramEqualsBruteForce) {
  CostConstants k;
  k.interval_s = 20;  // short intervals make spill-over and pending states common
  const CostModel m = testing::small_model(k, {1, 6});
  TransitionTable table(m);
  const std::vector<std::vector<Interval>> futures = {
      {{8, 0, 0}, {6, 0, 2}, {9, 3, 0}},
      {{12, 4, 0}, {7, 0, 5}, {7, 0, 0}},
      {{5, 0, 3}, {2, 0, 3}, {10, 8, 0}},
      {{10, 2, 0}, {10, 1, 1}, {4, 0, 6}},
  };
  const std::vector<PlannerState> states = {
      {8, {2, 4}, 0.0}, {8, {}, 0.0}, {8, {1, 3}, 25000.0}, {8, {4, 2}, 3000.0}};
  for (const auto& f : futures)
    for (const auto& s : states) {
      const Plan p = plan(table, s, f);
      const double brute = brute_force_best(table, s, f);
      EXPECT_NEAR(p.expected_samples, brute, 1e-9 * std::max(1.0, brute));
      ASSERT_EQ(p.path.size(), f.size());
      EXPECT_NEAR(evaluate_path(table, s, f, p.path), p.expected_samples, 1e-9 * std::max(1.0, brute));
      EXPECT_EQ(p.next, p.path.front());
    }
}

// The DP skips moves that can only make dominated labels, visits labels by
// samples and prunes labels whose remaining bound (remaining_bound.hpp)
// cannot reach a known path; on random forecasts from every start state it
// still finds the brute-force optimum of its target set, and its path is
// worth what it says. With a notice, without one (rollbacks) and with spares
// in the job (the bound's restart kinds differ), for the exact and the
// scaled target sets.
void expect_optimum_on_random_forecasts(const CostModel& m, TargetSet set) {
  TransitionTable table(m, {.targets = set});
  std::vector<Config> starts = m.configs();
  starts.push_back({});
  std::mt19937_64 rng(16);
  int cases = 0;
  for (int f = 0; f < 8; ++f) {
    std::vector<Interval> future;
    int n = std::uniform_int_distribution<int>(2, 12)(rng);
    const int n0 = n;
    for (int i = 0; i < 3; ++i) {
      const int out = std::uniform_int_distribution<int>(0, std::min(n, 5))(rng);
      const int in = std::uniform_int_distribution<int>(0, 12 - (n - out))(rng);
      n = n - out + in;
      future.push_back({n, in, out});
    }
    for (Config c : starts) {
      if (c.instances() > n0) continue;
      for (double pending : {0.0, 30000.0}) {
        const PlannerState s{n0, c, c.training() ? pending : 0.0};
        const Plan p = plan(table, s, future);
        const double brute = brute_force_best(table, s, future, set == TargetSet::scaled);
        ASSERT_NEAR(p.expected_samples, brute, 1e-9 * std::max(1.0, brute)) << f;
        ASSERT_NEAR(evaluate_path(table, s, future, p.path), p.expected_samples,
                    1e-9 * std::max(1.0, brute));
        ++cases;
      }
    }
  }
  EXPECT_GT(cases, 150);
}

TEST(Optimizer, SkippedMovesNeverHideTheOptimum) {
  for (const TargetSet set : {TargetSet::exact, TargetSet::scaled})
    for (const double interval_s : {20.0, 60.0})
      for (int variant = 0; variant < 3; ++variant) {
        CostConstants k;
        // 20 s: spill-over and pending labels are common, and the remaining
        // bound is loose (the searches aimed near it fail); 60 s: it is
        // tight, and most searches end at their first aim.
        k.interval_s = interval_s;
        if (variant == 1) k.notice_s = 0;  // lost stages roll back
        if (variant == 2) k.spares_in_job = true;
        SCOPED_TRACE(::testing::Message() << interval_s << " s, variant " << variant);
        expect_optimum_on_random_forecasts(testing::small_model(k, {1, 4}), set);
      }
}

TEST(Optimizer, StaysPutWhenNothingHappens) {
  const CostModel m = testing::small_model();
  TransitionTable table(m);
  const std::vector<Interval> future(12, Interval{12, 0, 0});
  const Plan p = plan(table, {12, m.best_config(12), 0.0}, future);
  EXPECT_EQ(p.next, m.best_config(12));
  EXPECT_NEAR(p.expected_samples, 12 * 60 * m.samples_per_s(m.best_config(12)), 1e-6);
}

TEST(Optimizer, HandlesForecastBelowEveryConfiguration) {
  const CostModel m = testing::small_model({}, {3, 6});  // needs >= 3 instances
  TransitionTable table(m);
  const std::vector<Interval> future = {{2, 0, 4}, {0, 0, 2}, {0, 0, 0}, {5, 5, 0}};
  const Plan p = plan(table, {6, {2, 3}, 0.0}, future);
  EXPECT_FALSE(p.path[0].training());
  EXPECT_FALSE(p.path[1].training());
  EXPECT_TRUE(p.path[3].training());
  EXPECT_LE(p.path[3].instances(), 5);
  EXPECT_NO_THROW(plan(table, {0, {}, 0.0}, std::vector<Interval>(3)));
  EXPECT_NO_THROW(plan(table, {0, {}, 0.0}, {}));
}

TEST(Optimizer, AlternativesAreSortedAndContainTheChoice) {
  const CostModel m = testing::small_model();
  TransitionTable table(m);
  const std::vector<Interval> future = {{10, 0, 2}, {10, 0, 0}, {12, 2, 0}};
  const Plan p = plan_with_alternatives(table, {12, {3, 4}, 0.0}, future);
  ASSERT_FALSE(p.alternatives.empty());
  EXPECT_EQ(p.alternatives.front().first, p.next);
  EXPECT_NEAR(p.alternatives.front().expected_samples, p.expected_samples, 1e-9);
  for (std::size_t i = 1; i < p.alternatives.size(); ++i)
    EXPECT_GE(p.alternatives[i - 1].expected_samples, p.alternatives[i].expected_samples);
}

}  // namespace
}  // namespace parcae::liveput
