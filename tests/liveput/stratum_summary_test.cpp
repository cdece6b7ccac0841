// The scaled strata (StratumSummary) against the per-target sums of the exact
// strata: every configuration, every preemption count, with and without a
// notice, on the small model and on a 1F1B table of 36 instances.
#include <random>

#include "parcae/liveput/p2p.hpp"
#include "parcae/liveput/pipeline_model.hpp"
#include "parcae/liveput/transition.hpp"
#include "paper_setup.hpp"
#include "small_model.hpp"

namespace parcae::liveput {
namespace {

void expect_summaries_equal_sums(const CostModel& m, int n, int step) {
  TransitionTable exact(m, {.targets = TargetSet::exact});
  TransitionTable scaled(m, {.targets = TargetSet::scaled});
  long compared = 0;
  for (Config from : m.configs()) {
    if (from.instances() > n) continue;
    for (int n_out = 0; n_out <= n; n_out += step) {
      const TransitionEntry e = exact.compute(n, from, n_out);
      const TransitionEntry s = scaled.compute(n, from, n_out, true);
      ASSERT_EQ(e.exact, s.exact);
      // Drawn strata: the scaled ones are seeded by (from, j), the exact ones
      // by n_out too, so they differ by their draws (see RandomOutcomes).
      if (!e.exact) continue;
      for (const int t : scaled.targets(scaled.index_of(from), true)) {
        const TransitionCost& a = e.by_target[t];
        const TransitionCost& b = s.by_target[t];
        ASSERT_NEAR(a.expected_ms, b.expected_ms, 1e-9 * std::max(1.0, a.expected_ms))
            << from.dp << "x" << from.pp << " n_out " << n_out << " -> " << t;
        ASSERT_NEAR(a.probability, b.probability, 1e-12);
        ASSERT_EQ(a.intra_probability, b.intra_probability);
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 100);
}

TEST(StratumSummary, EqualsPerTargetSumsOnTheSmallModel) {
  for (double notice : {120.0, 0.0}) {
    CostConstants k;
    k.notice_s = notice;  // 0: a lost stage is a rollback
    expect_summaries_equal_sums(testing::small_model(k), 12, 1);
  }
}

// A 1F1B table of 12 uneven layers up to 36 instances.
CostModel model_of_36_instances() {
  PipelineModel pm;
  for (int l = 0; l < 12; ++l) pm.layers.push_back({2.0 + l % 3, 4.0 + l % 3, 10'000'000 + l * 1'000'000});
  pm.global_batch = 96;
  return CostModel(pipeline_table(pm, 36), paper_p2p_10gbps(), [&] {
    LayerParams p;
    for (const auto& l : pm.layers) p.push_back(l.params);
    return p;
  }(), CostConstants{}, ConfigSpace{1, 11});
}

TEST(StratumSummary, EqualsPerTargetSumsOn36Instances) {
  const CostModel m = model_of_36_instances();
  expect_summaries_equal_sums(m, 36, 7);
}

// The summary against per-target sums over the same outcomes, drawn at
// random (the table's drawn strata are seeded apart): every configuration of
// the small model and of the 36-instance table, notice or none.
void expect_summary_equals_sums_on_random_outcomes(const CostModel& m) {
  TransitionTable table(m, {.targets = TargetSet::scaled});
  MigrationCoster& coster = table.coster();
  std::mt19937_64 rng(11);
  std::vector<MigrationCost> each(m.configs().size());
  long compared = 0;
  for (Config from : m.configs()) {
    const std::span<const int> targets = table.targets(table.index_of(from), true);
    StratumSummary summary(coster, from, targets);
    std::vector<double> ms(m.configs().size(), 0.0), restart(ms.size(), 0.0), kept(ms.size(), 0.0);
    std::vector<int> survivors(from.pp);
    for (int draw = 0; draw < 200; ++draw) {
      for (int& r : survivors) r = static_cast<int>(rng() % (from.dp + 1));
      if (draw % 4 == 0) std::fill(survivors.begin(), survivors.end(), from.dp);
      if (draw % 4 == 1) survivors[rng() % from.pp] = from.dp - 1;  // one replica lost
      const double w = 1.0 / (1 + rng() % 7);
      summary.add(coster, survivors, w);
      int lost = 0;
      for (int r : survivors) lost += from.dp - r;
      coster.costs_to(from, survivors, lost, from.instances(), targets, each);
      for (const int t : targets) {
        ms[t] += w * (each[t].ms - each[t].restart_ms);
        if (each[t].restart_ms > 0.0) restart[t] += w;
        if (each[t].kind != MigrationKind::rollback) kept[t] += w;
      }
    }
    summary.finish();
    for (const int t : targets) {
      const StratumSummary::Cost c = summary.cost(coster, t);
      ASSERT_NEAR(c.expected_ms, ms[t], 1e-9 * std::max(1.0, ms[t])) << from.dp << "x" << from.pp << " -> " << t;
      ASSERT_NEAR(c.restart_probability, restart[t], 1e-12);
      ASSERT_NEAR(c.probability, kept[t], 1e-12);
      ++compared;
    }
  }
  EXPECT_GT(compared, 100);
}

TEST(StratumSummary, EqualsPerTargetSumsOnRandomOutcomes) {
  for (double notice : {120.0, 0.0}) {
    CostConstants k;
    k.notice_s = notice;
    expect_summary_equals_sums_on_random_outcomes(testing::small_model(k));
  }
  const CostModel m = model_of_36_instances();
  expect_summary_equals_sums_on_random_outcomes(m);
}

}  // namespace
}  // namespace parcae::liveput
