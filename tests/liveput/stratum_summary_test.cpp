// The scaled strata (StratumSummary) against the per-target sums of the exact
// strata: every configuration, every preemption count, with and without a
// notice, on the small model and on a 1F1B table of 36 instances.
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

TEST(StratumSummary, EqualsPerTargetSumsOn36Instances) {
  PipelineModel pm;
  for (int l = 0; l < 12; ++l) pm.layers.push_back({2.0 + l % 3, 4.0 + l % 3, 10'000'000 + l * 1'000'000});
  pm.global_batch = 96;
  const CostModel m(pipeline_table(pm, 36), paper_p2p_10gbps(), [&] {
    LayerParams p;
    for (const auto& l : pm.layers) p.push_back(l.params);
    return p;
  }(), CostConstants{}, ConfigSpace{1, 11});
  expect_summaries_equal_sums(m, 36, 7);  // drawn strata too (3x11 losing 7)
}

}  // namespace
}  // namespace parcae::liveput
