// One decision as the coordinator takes it.
#include "parcae/liveput/decision.hpp"
#include "small_model.hpp"
#include "test_support.hpp"

namespace parcae::liveput {
namespace {

TEST(Decision, FollowsThePlanWhenItFits) {
  const CostModel m = testing::small_model();
  TransitionTable table(m);
  const std::vector<Interval> future(6, Interval{12, 0, 0});
  const JobState state{12, m.best_config(12), 0.0, false};
  EXPECT_EQ(decide(table, state, future[0], future), m.best_config(12));
}

TEST(Decision, FallsBackWhenTheForecastMissedAPreemption) {
  const CostModel m = testing::small_model();
  TransitionTable table(m);
  const std::vector<Interval> future(6, Interval{12, 0, 0});  // saw nothing coming
  const Interval now{7, 0, 5};                                 // 5 of 12 preempted
  const JobState state{12, m.best_config(12), 0.0, false};
  const Config c = decide(table, state, now, future);
  ASSERT_TRUE(c.training());
  EXPECT_LE(c.instances(), 7);
  EXPECT_EQ(c, best_for_interval(table, state, now));
}

TEST(Decision, ResumingAfterAStopIsARollback) {
  const CostModel m = testing::small_model();
  TransitionTable table(m);
  const Interval now{8, 8, 0};
  EXPECT_DOUBLE_EQ(expected_migration_ms(table, {0, {}, 0.0, true}, now, {2, 4}),
                   m.rollback_ms({2, 4}));
  EXPECT_DOUBLE_EQ(expected_migration_ms(table, {0, {}, 0.0, false}, now, {2, 4}),
                   table.coster().start_cost({2, 4}).ms);
  EXPECT_FALSE(decide(table, {2, {}, 0.0, true}, Interval{0, 0, 2}, {}).training());
}

}  // namespace
}  // namespace parcae::liveput
