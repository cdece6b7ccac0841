// Every migration kind against its formula, by hand.
#include "parcae/liveput/migration_cost.hpp"

#include <random>

#include "small_model.hpp"
#include "test_support.hpp"

namespace parcae::liveput {
namespace {

TEST(MigrationCost, NoChangeIntraStageAndStart) {
  const CostModel m = testing::small_model();
  MigrationCoster coster(m);
  const std::vector<int> intact = {2, 2, 2};
  EXPECT_EQ(coster.cost({2, 3}, intact, 0, 6, {2, 3}).kind, MigrationKind::none);
  EXPECT_EQ(coster.cost({2, 3}, intact, 0, 6, {2, 3}).ms, 0.0);
  // only spares preempted: still nothing to do
  EXPECT_EQ(coster.cost({2, 3}, intact, 2, 9, {2, 3}).ms, 0.0);
  // one replica of stage 1 lost: 1 x 3 from the survivors, communicators only
  const std::vector<int> lost_one = {2, 1, 2};
  const MigrationCost intra = coster.cost({2, 3}, lost_one, 1, 6, {1, 3});
  EXPECT_EQ(intra.kind, MigrationKind::intra_stage);
  EXPECT_DOUBLE_EQ(intra.ms, m.rebuild_ms({1, 3}, RestartKind::remove) + 240.0);
  EXPECT_DOUBLE_EQ(intra.restart_ms, 0.0);
  const MigrationCost start = coster.start_cost({2, 3});
  EXPECT_EQ(start.kind, MigrationKind::start);
  EXPECT_DOUBLE_EQ(start.ms, m.restart_ms({2, 3}, RestartKind::add) + m.max_stage_transfer_ms(3));
}

TEST(MigrationCost, InterStageMaxOrSumOfLostStages) {
  const CostModel m = testing::small_model();
  MigrationCoster coster(m);
  const auto& st = m.stage_transfer_ms(3);
  // Stage 1 lost one replica, target keeps 2 x 3: stage 1 receives its state.
  const std::vector<int> lost_one = {2, 1, 2};
  MigrationCost c = coster.cost({2, 3}, lost_one, 1, 8, {2, 3});
  EXPECT_EQ(c.kind, MigrationKind::inter_stage);
  // 6 > 6 - 1 instances kept by the grid: the artifact's 'add' restart
  EXPECT_DOUBLE_EQ(c.ms, st[1] + m.restart_ms({2, 3}, RestartKind::add));
  EXPECT_DOUBLE_EQ(c.restart_ms, m.restart_ms({2, 3}, RestartKind::add));
  // Stages 0 and 2 lost every replica: the sum of both beats the max.
  const std::vector<int> two_gone = {0, 2, 0};
  c = coster.cost({2, 3}, two_gone, 4, 12, {1, 3});
  EXPECT_DOUBLE_EQ(c.ms, std::max(std::max(st[0], st[2]), st[0] + st[2]) +
                             m.restart_ms({1, 3}, RestartKind::add));
  // Fewer instances than the grid keeps: 'remove'
  const std::vector<int> one_each = {1, 1, 2};
  c = coster.cost({3, 3}, one_each, 3, 9, {2, 3});
  EXPECT_EQ(c.kind, MigrationKind::inter_stage);
  EXPECT_DOUBLE_EQ(c.ms, std::max(st[0], st[1]) + m.restart_ms({2, 3}, RestartKind::remove));
}

TEST(MigrationCost, RollbackWithoutNotice) {
  CostConstants k;
  k.notice_s = 0;
  const CostModel m = testing::small_model(k);
  MigrationCoster coster(m);
  const std::vector<int> stage_gone = {2, 0, 2};
  for (Config target : {Config{2, 3}, Config{1, 4}}) {
    const MigrationCost c = coster.cost({2, 3}, stage_gone, 2, 6, target);
    EXPECT_EQ(c.kind, MigrationKind::rollback);
    EXPECT_DOUBLE_EQ(c.ms, m.restart_ms(target, RestartKind::add) + k.rollback_extra_ms);
  }
}

TEST(MigrationCost, SparesInTheJobOnlyNewInstancesRendezvous) {
  CostConstants k;
  k.spares_in_job = true;
  const CostModel m = testing::small_model(k);
  MigrationCoster coster(m);
  const std::vector<int> lost_one = {2, 1, 2};
  // 8 alive, 1 preempted: the spare steps in, no re-rendezvous
  EXPECT_DOUBLE_EQ(coster.cost({2, 3}, lost_one, 1, 8, {2, 3}).restart_ms,
                   m.restart_ms({2, 3}, RestartKind::remove));
  // 6 alive, no spare: the replacement is a new instance
  EXPECT_DOUBLE_EQ(coster.cost({2, 3}, lost_one, 1, 6, {2, 3}).restart_ms,
                   m.restart_ms({2, 3}, RestartKind::add));
}

// Calls check(model, rule) with the small model under every re-partition transfer rule.
template <class Check>
void for_each_transfer_rule(Check&& check) {
  for (auto rule : {CostConstants::RepartitionTransfer::sum, CostConstants::RepartitionTransfer::max,
                    CostConstants::RepartitionTransfer::last}) {
    CostConstants k;
    k.repartition_transfer = rule;
    check(testing::small_model(k), rule);
  }
}

TEST(MigrationCost, RepartitionTransferRules) {
  // 1 x 2 -> 1 x 4 as in Transition.RepartitionChargesEveryStage: missing per
  // new stage = 0, l3+l4, l5+l6+l7 (no instance left), l8+l9 (none left).
  for_each_transfer_rule([](const CostModel& m, CostConstants::RepartitionTransfer rule) {
    MigrationCoster coster(m);
    const auto& l = m.layers();
    const double a = l[3] + l[4], b = l[5] + l[6] + l[7], c = l[8] + l[9];
    const double missing = rule == CostConstants::RepartitionTransfer::sum ? a + b + c
                           : rule == CostConstants::RepartitionTransfer::max ? std::max({a, b, c})
                                                                             : a;
    const std::vector<int> both = {1, 1};
    EXPECT_DOUBLE_EQ(coster.cost({1, 2}, both, 0, 2, {1, 4}).ms,
                     m.p2p_ms(missing * 12) + m.restart_ms({1, 4}, RestartKind::add));
  });
}

// The re-partition greedy as the header states it, step by step: every new
// stage takes the surviving instance whose old stage holds most of its layers
// (ties: the lower old stage), one instance per new stage, in stage order.
double naive_repartition_missing(const CostModel& m, int old_pp, int new_pp,
                                 std::vector<int> left) {
  const auto& old_b = m.boundaries(old_pp);
  const auto& new_b = m.boundaries(new_pp);
  const auto& layers = m.layers();
  using Transfer = CostConstants::RepartitionTransfer;
  const Transfer rule = m.constants().repartition_transfer;
  double total = 0.0;
  for (int t = 0; t < new_pp; ++t) {
    std::int64_t best = -1;
    int pick = -1;
    for (int s = 0; s < old_pp; ++s) {
      if (left[s] == 0) continue;
      std::int64_t miss = 0;
      for (int l = new_b[t]; l < new_b[t + 1]; ++l)
        if (l < old_b[s] || l >= old_b[s + 1]) miss += layers[l];
      if (pick < 0 || miss < best) best = miss, pick = s;
    }
    double need = static_cast<double>(m.stage_params(new_pp)[t]);
    if (pick >= 0) --left[pick], need = static_cast<double>(best);
    if (rule == Transfer::sum) total += need;
    else if (rule == Transfer::max) total = std::max(total, need);
    else if (pick >= 0) total = need;
  }
  return total;
}

TEST(MigrationCost, RepartitionEqualsTheNaiveGreedyOnEverySurvivorVector) {
  // Every depth pair of the small model, 1 to 3 replicas, every survivor
  // vector (up to 4^9 per pair: sampled beyond 4 096), every transfer rule.
  for_each_transfer_rule([](const CostModel& m, CostConstants::RepartitionTransfer) {
    MigrationCoster coster(m);
    std::mt19937_64 rng(7);
    long checked = 0;
    for (int old_pp = 1; old_pp <= 9; ++old_pp)
      for (int new_pp = 1; new_pp <= 9; ++new_pp)
        for (int replicas = 1; replicas <= 3; ++replicas) {
          if (new_pp == old_pp) continue;
          long vectors = 1;
          for (int s = 0; s < old_pp; ++s) vectors *= replicas + 1;
          const bool every = vectors <= 4096;
          std::vector<int> survivors(old_pp, 0);
          for (long v = 0; v < (every ? vectors : 4096); ++v) {
            long code = v;
            for (int s = 0; s < old_pp; ++s) {
              survivors[s] = every ? static_cast<int>(code % (replicas + 1))
                                   : static_cast<int>(rng() % (replicas + 1));
              code /= replicas + 1;
            }
            const double want = m.p2p_ms(naive_repartition_missing(m, old_pp, new_pp, survivors) *
                                         m.constants().bytes_per_param);
            ASSERT_EQ(coster.repartition_transfer_ms(old_pp, new_pp, survivors, replicas), want)
                << old_pp << " -> " << new_pp << " stages, " << replicas << " replicas, vector " << v;
            ++checked;
          }
        }
    EXPECT_GT(checked, 100'000);
  });
}

}  // namespace
}  // namespace parcae::liveput
