// Checkpoint stalls and rollback losses in a simulated run: the loss
// probability against brute force, the ledger's books, and the simulators
// with and without it.
#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "parcae/liveput/checkpoint_ledger.hpp"
#include "parcae/liveput/simulator.hpp"
#include "small_model.hpp"

namespace parcae::liveput {
namespace {

// Instance i < D*P holds stage i % P (the spares come after): the share of
// n_out-subsets that take every replica of some stage.
// With `any_active`, the share that takes at least one of the D*P instead.
double brute_force_loss(int n, Config c, int n_out, bool any_active = false) {
  std::vector<int> pick(n, 0);
  std::fill(pick.end() - n_out, pick.end(), 1);
  long losing = 0, all = 0;
  do {
    std::vector<int> left(c.pp, c.dp);
    for (int i = 0; i < c.instances(); ++i) left[i % c.pp] -= pick[i];
    const bool emptied = std::count(left.begin(), left.end(), 0) > 0;
    const bool touched = std::count(pick.begin(), pick.begin() + c.instances(), 1) > 0;
    losing += any_active ? touched : emptied;
    ++all;
  } while (std::next_permutation(pick.begin(), pick.end()));
  return static_cast<double>(losing) / all;
}

TEST(CheckpointLedger, StageLossProbabilityIsExact) {
  for (int n = 1; n <= 10; ++n)
    for (int dp = 1; dp <= n; ++dp)
      for (int pp = 1; dp * pp <= n; ++pp)
        for (int out = 0; out <= n; ++out) {
          const Config c{dp, pp};
          EXPECT_NEAR(stage_loss_probability(n, c, out), brute_force_loss(n, c, out), 1e-12)
              << "n=" << n << " " << dp << "x" << pp << " out=" << out;
          EXPECT_NEAR(active_loss_probability(n, c, out), brute_force_loss(n, c, out, true), 1e-12)
              << "n=" << n << " " << dp << "x" << pp << " out=" << out;
        }
  EXPECT_EQ(stage_loss_probability(8, Config{}, 3), 0.0);  // nothing trains, nothing to lose
  // With a notice the doomed send their state, unless nobody survives to take it.
  EXPECT_EQ(rollback_probability(6, Config{2, 3}, 5, 30.0), 0.0);
  EXPECT_EQ(rollback_probability(6, Config{2, 3}, 6, 30.0), 1.0);
  EXPECT_EQ(rollback_probability(6, Config{2, 3}, 2, 0.0), stage_loss_probability(6, {2, 3}, 2));
}

TEST(CheckpointLedger, LosesWhatTheNewestCheckpointLacks) {
  CheckpointLedger never({});  // no checkpoint is ever taken
  EXPECT_DOUBLE_EQ(never.train(100, 2, 2), 200);
  EXPECT_DOUBLE_EQ(never.train(100, 1, 2), 100);
  EXPECT_DOUBLE_EQ(never.lose(0.25), 75);  // a quarter of the 300 since the start
  EXPECT_DOUBLE_EQ(never.since_checkpoint(), 225);
  EXPECT_DOUBLE_EQ(never.lose(1.0), 225);
  EXPECT_DOUBLE_EQ(never.lose(1.0), 0);
  never.train(100, 1, 2);
  never.changed();  // a reconfiguration through the store saved it all
  EXPECT_DOUBLE_EQ(never.lose(1.0), 0);
}

TEST(CheckpointLedger, StepCheckpointsStallAndBoundTheLoss) {
  // 100 samples/s, a checkpoint every 50 samples (0.5 s) stalling 0.5 s: half speed.
  CheckpointLedger ledger({50, 0, false, 500});
  EXPECT_DOUBLE_EQ(ledger.train(100, 2, 2), 100);
  EXPECT_DOUBLE_EQ(ledger.since_checkpoint(), 0);  // 100 is a multiple of 50
  EXPECT_NEAR(ledger.train(100, 0.6, 2), 30, 1e-12);
  EXPECT_NEAR(ledger.lose(1.0), 30, 1e-12);
  CheckpointLedger free({50, 0, false, 0});
  EXPECT_DOUBLE_EQ(free.train(100, 2, 2), 200);
}

TEST(CheckpointLedger, ClockCheckpointsComeBetweenIntervals) {
  // Every 3 s of wall clock, intervals of 2 s: saved after the second interval.
  CheckpointLedger ledger({0, 3, false, 100});
  EXPECT_DOUBLE_EQ(ledger.train(100, 2, 2), 200);
  EXPECT_DOUBLE_EQ(ledger.since_checkpoint(), 200);
  EXPECT_DOUBLE_EQ(ledger.train(100, 2, 2), 190);  // 0.1 s of stall at 100 samples/s
  EXPECT_DOUBLE_EQ(ledger.since_checkpoint(), 0);
  EXPECT_DOUBLE_EQ(ledger.train(0, 0, 2), 0);  // idle intervals still run the clock
  EXPECT_DOUBLE_EQ(ledger.train(100, 1, 2), 90);
}

trace::Series series_of(const std::vector<Interval>& intervals) {
  trace::Series s;
  s.intervals = intervals;
  return s;
}

TEST(CheckpointLedger, SimulatorsTakeOffWhatARollbackRedoes) {
  CostConstants no_notice;
  no_notice.notice_s = 0;  // the paper's default notice would let every stage evacuate
  const CostModel m = testing::small_model(no_notice);
  TransitionTable table(m);
  // Four intervals on 6 instances, then all of them go, then 6 come back.
  const trace::Series s =
      series_of({{6, 6, 0}, {6, 0, 0}, {6, 0, 0}, {6, 0, 0}, {0, 0, 6}, {6, 6, 0}, {6, 0, 0}});
  const Span all{0, 7};
  const auto paper = simulate_liveput(table, s, all, OracleForecaster(), {}, "o");
  SimulationOptions never;
  never.checkpoints = CheckpointCadence{};
  const auto lost = simulate_liveput(table, s, all, OracleForecaster(), never, "o");
  // Nothing saved: the first four intervals are redone after the stop.
  double before = 0, after = 0;
  for (int i = 0; i < 4; ++i) before += paper.timeline[i].samples;
  for (int i = 5; i < 7; ++i) after += paper.timeline[i].samples;
  EXPECT_NEAR(lost.samples, after, 1e-6 * after);
  EXPECT_NEAR(lost.timeline[4].samples, -before, 1e-6 * before);
  EXPECT_NEAR(paper.samples, before + after, 1e-6 * paper.samples);

  // Checkpoints every 10 samples at no cost lose at most 10.
  SimulationOptions often;
  often.checkpoints = CheckpointCadence{10, 0, false, 0};
  const auto bounded = simulate_liveput(table, s, all, OracleForecaster(), often, "o");
  EXPECT_GE(bounded.samples, paper.samples - 10 - 1e-6);
  EXPECT_LE(bounded.samples, paper.samples + 1e-6);

  // The reactive baseline: every change goes through the store, and nothing
  // changed after the start, so it loses the same four intervals.
  const auto reactive_paper = simulate_reactive(m, s, all);
  const auto reactive = simulate_reactive(m, s, all, CheckpointCadence{0, 0, true, 0});
  double reactive_before = 0;
  for (int i = 0; i < 4; ++i) reactive_before += reactive_paper.timeline[i].samples;
  EXPECT_NEAR(reactive.samples, reactive_paper.samples - reactive_before,
              1e-6 * reactive_paper.samples);
}

TEST(CheckpointLedger, AModelAtAnotherSpeedScalesOnlyThroughput) {
  const CostModel m = testing::small_model();
  const CostModel slow = m.at_speed(0.5);
  for (Config c : m.configs()) EXPECT_DOUBLE_EQ(slow.samples_per_s(c), 0.5 * m.samples_per_s(c));
  EXPECT_EQ(slow.configs(), m.configs());
  EXPECT_EQ(slow.best_config(7), m.best_config(7));
  EXPECT_DOUBLE_EQ(slow.rollback_ms(Config{2, 3}), m.rollback_ms(Config{2, 3}));
  EXPECT_THROW(m.at_speed(0.0), std::invalid_argument);
}

}  // namespace
}  // namespace parcae::liveput
