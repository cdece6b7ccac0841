// plan_layout + plan_migration over every preemption subset of small jobs:
// each new (replica, stage) ends with all its layers, every byte comes from a
// live holder, and a rollback happens exactly when some layer has none.
#include "parcae/elastic/migration_plan.hpp"

#include <gtest/gtest.h>

#include <set>

#include "parcae/elastic/layout_planner.hpp"

namespace parcae::elastic {
namespace {

constexpr int kLayers = 6;  // the tiny model: embedding, four blocks, head

std::vector<StageRange> even_ranges(int pp) {
  const std::vector<double> costs(kLayers, 1.0);
  return model::partition_layers(costs, pp);
}

std::vector<std::int64_t> layer_bytes() { return {100, 10, 10, 10, 10, 100}; }

struct Config {
  int dp, pp;
};

std::vector<Config> configs_up_to(int ranks) {
  std::vector<Config> out;
  for (int dp = 1; dp <= ranks; ++dp)
    for (int pp = 1; pp <= kLayers && dp * pp <= ranks; ++pp) out.push_back({dp, pp});
  return out;
}

// Checks one plan against its inputs; returns the number of transfers.
void check_plan(const Holdings& before, const std::vector<bool>& alive, const Layout& next,
                const std::vector<StageRange>& ranges, const MigrationPlan& plan,
                const std::string& where) {
  const auto bytes = layer_bytes();
  bool some_layer_lost = false;
  for (int l = 0; l < kLayers; ++l) some_layer_lost |= before.holders(l).empty();
  ASSERT_EQ(plan.kind == Reconfiguration::rollback, some_layer_lost) << where;
  if (some_layer_lost) {
    EXPECT_TRUE(plan.transfers.empty()) << where;
    return;
  }
  std::set<std::pair<int, int>> have;  // (rank, layer)
  for (int rank = 1; rank <= before.workers(); ++rank)
    for (int l = 0; l < kLayers; ++l)
      if (before.holds(rank, l)) have.insert({rank, l});
  for (const auto& t : plan.transfers) {
    ASSERT_TRUE(alive[t.from - 1]) << where << ": reads preempted rank " << t.from;
    ASSERT_TRUE(before.holds(t.from, t.layer))
        << where << ": rank " << t.from << " lacks " << t.layer;
    ASSERT_FALSE(before.holds(t.to, t.layer))
        << where << ": sends rank " << t.to << " its own layer";
    ASSERT_EQ(t.bytes, bytes[t.layer]) << where;
    ASSERT_TRUE(have.insert({t.to, t.layer}).second) << where << ": layer sent twice";
  }
  for (int rank = 1; rank <= next.workers(); ++rank) {
    const auto p = next.placement_of(rank);
    if (!p) continue;
    ASSERT_TRUE(alive[rank - 1]) << where << ": places preempted rank " << rank;
    for (int l = ranges[p->stage].first_layer; l < ranges[p->stage].end_layer; ++l)
      ASSERT_TRUE(have.count({rank, l})) << where << ": rank " << rank << " lacks layer " << l;
  }
}

TEST(PlanMigration, EveryPreemptionSubsetOfJobsUpToEightWorkers) {
  long plans = 0, rollbacks = 0;
  for (int workers = 1; workers <= 8; ++workers) {
    for (const Config from : configs_up_to(workers)) {
      const Layout old = Layout::dense(workers, from.dp, from.pp);
      const auto old_ranges = even_ranges(from.pp);
      const Previous previous{&old, old_ranges};
      for (unsigned mask = 0; mask < (1u << workers); ++mask) {
        std::vector<bool> alive(workers);
        std::vector<int> alive_ranks;
        for (int w = 0; w < workers; ++w) {
          alive[w] = !(mask >> w & 1u);
          if (alive[w]) alive_ranks.push_back(w + 1);
        }
        const Holdings before = Holdings::of(old, old_ranges, alive);
        for (const Config to : configs_up_to(static_cast<int>(alive_ranks.size()))) {
          const auto ranges = even_ranges(to.pp);
          const Layout next = plan_layout(before, alive_ranks, to.dp, to.pp, ranges, layer_bytes());
          const auto plan = plan_migration(before, previous, next, ranges, layer_bytes());
          const std::string where = std::to_string(from.dp) + "x" + std::to_string(from.pp) +
                                    " -> " + std::to_string(to.dp) + "x" + std::to_string(to.pp) +
                                    " on " + std::to_string(workers) + ", preempted mask " +
                                    std::to_string(mask);
          check_plan(before, alive, next, ranges, plan, where);
          if (HasFatalFailure()) return;
          ++plans;
          rollbacks += plan.kind == Reconfiguration::rollback;
        }
      }
    }
  }
  EXPECT_GT(plans, 50000);
  EXPECT_GT(rollbacks, 0);
}

// With P unchanged the planner keeps every surviving holder on its stage, so
// the transfers are the fewest possible: a stage short of D' replicas gets
// exactly the missing copies.
TEST(PlanMigration, SameDepthMovesOnlyWhatSurvivorsLack) {
  const int workers = 8;
  const Layout old = Layout::dense(workers, 2, 3);  // ranks 1-6 active, 7-8 spares
  const auto ranges = even_ranges(3);
  std::vector<bool> alive(workers, true);
  alive[1 - 1] = false;  // replica 0, stage 0
  alive[5 - 1] = false;  // replica 1, stage 1
  const Holdings before = Holdings::of(old, ranges, alive);
  const std::vector<int> ranks = {2, 3, 4, 6, 7, 8};
  const Layout next = plan_layout(before, ranks, 2, 3, ranges, layer_bytes());
  const Previous previous{&old, ranges};
  const auto plan = plan_migration(before, previous, next, ranges, layer_bytes());
  EXPECT_EQ(plan.kind, Reconfiguration::inter_stage);
  // Stage 0 (layers 0-1) and stage 1 (layers 2-3) each lack one replica.
  ASSERT_EQ(plan.transfers.size(), 4u);
  EXPECT_EQ(plan.sources(), (std::vector<int>{2, 4}));
  EXPECT_EQ(plan.destinations(), (std::vector<int>{7, 8}));
  EXPECT_EQ(plan.bytes(), 100 + 10 + 10 + 10);
  // Survivors stay where they were.
  EXPECT_EQ(next.placement_of(3)->stage, 2);
  EXPECT_EQ(next.placement_of(6)->stage, 2);
}

TEST(PlanMigration, KindsFromThePlan) {
  const int workers = 6;
  const Layout old = Layout::dense(workers, 2, 2);
  const auto r2 = even_ranges(2);
  const Previous previous{&old, r2};
  std::vector<bool> all(workers, true);
  const Holdings full = Holdings::of(old, r2, all);
  const std::vector<int> every = {1, 2, 3, 4, 5, 6};
  const auto bytes = layer_bytes();

  EXPECT_EQ(plan_migration(full, previous, old, r2, bytes).kind, Reconfiguration::none);
  EXPECT_EQ(plan_migration(full, std::nullopt, old, r2, bytes).kind, Reconfiguration::start);
  // One replica fewer: the survivors regroup, nothing moves.
  const Layout one = plan_layout(full, every, 1, 2, r2, bytes);
  EXPECT_EQ(plan_migration(full, previous, one, r2, bytes).kind, Reconfiguration::intra_stage);
  // Three replicas: the spares receive a stage each.
  const Layout three = plan_layout(full, every, 3, 2, r2, bytes);
  const auto grow = plan_migration(full, previous, three, r2, bytes);
  EXPECT_EQ(grow.kind, Reconfiguration::grow);
  EXPECT_EQ(grow.destinations(), (std::vector<int>{5, 6}));
  // Three stages: a re-partition.
  const auto r3 = even_ranges(3);
  const Layout deeper = plan_layout(full, every, 2, 3, r3, bytes);
  EXPECT_EQ(plan_migration(full, previous, deeper, r3, bytes).kind, Reconfiguration::pipeline);
  // Both replicas of stage 1 preempted: its layers are gone.
  std::vector<bool> alive = all;
  alive[2 - 1] = alive[4 - 1] = false;
  const Holdings lost = Holdings::of(old, r2, alive);
  const Layout after = plan_layout(lost, std::vector<int>{1, 3, 5, 6}, 2, 2, r2, bytes);
  const auto rollback = plan_migration(lost, previous, after, r2, bytes);
  EXPECT_EQ(rollback.kind, Reconfiguration::rollback);
  EXPECT_EQ(rollback.lost_layers, (std::vector<int>{3, 4, 5}));
}

TEST(PlanMigration, SourcesShareTheLoad) {
  // Four replicas of one stage hold the model; four new ranks each need it all.
  const int workers = 8;
  const Layout old = Layout::dense(workers, 4, 1);
  const auto r1 = even_ranges(1);
  const Holdings h = Holdings::of(old, r1, std::vector<bool>(workers, true));
  const std::vector<int> every = {1, 2, 3, 4, 5, 6, 7, 8};
  const Layout next = plan_layout(h, every, 8, 1, r1, layer_bytes());
  const auto plan = plan_migration(h, Previous{&old, r1}, next, r1, layer_bytes());
  EXPECT_EQ(plan.sources(), (std::vector<int>{1, 2, 3, 4}));
  std::map<int, std::int64_t> sent;
  for (const auto& t : plan.transfers) sent[t.from] += t.bytes;
  const auto [lo, hi] = std::minmax_element(sent.begin(), sent.end(),
                                            [](auto& a, auto& b) { return a.second < b.second; });
  EXPECT_LE(hi->second - lo->second, 100);  // within one embedding-sized shard
}

// A change through the store saves every layer exactly once, each from a live
// holder, in layer order, or nothing when some layer has no holder left.
TEST(PlanStoreWrites, EveryPreemptionSubsetOfJobsUpToEightWorkers) {
  long checked = 0, empty = 0;
  for (int workers = 1; workers <= 8; ++workers) {
    for (const Config from : configs_up_to(workers)) {
      const Layout old = Layout::dense(workers, from.dp, from.pp);
      const auto old_ranges = even_ranges(from.pp);
      const int layers = old_ranges.back().end_layer;
      for (unsigned mask = 0; mask < (1u << workers); ++mask) {
        std::vector<bool> alive(workers);
        for (int w = 0; w < workers; ++w) alive[w] = !(mask >> w & 1u);
        const Holdings h = Holdings::of(old, old_ranges, alive);
        const auto writes = plan_store_writes(h, layers);
        bool lost = false;
        for (int l = 0; l < layers; ++l) lost = lost || h.holders(l).empty();
        ++checked;
        if (lost) {
          EXPECT_TRUE(writes.empty()) << workers << " workers, mask " << mask;
          ++empty;
          continue;
        }
        int next = 0;
        for (const auto& w : writes) {
          ASSERT_EQ(w.layers.first_layer, next) << workers << " workers, mask " << mask;
          ASSERT_GT(w.layers.end_layer, w.layers.first_layer);
          for (int l = w.layers.first_layer; l < w.layers.end_layer; ++l) {
            ASSERT_TRUE(h.holds(w.rank, l)) << "rank " << w.rank << " saves layer " << l;
            EXPECT_EQ(w.rank, h.holders(l).front()) << "layer " << l << ": not its lowest holder";
          }
          next = w.layers.end_layer;
        }
        EXPECT_EQ(next, layers);
      }
    }
  }
  EXPECT_GT(checked, 1000);
  EXPECT_GT(empty, 0);
}

// One write per holder's run of layers: a 2 x 2 job whose replica 0 lost its
// first stage saves stage 0 from the other replica, stage 1 from replica 0.
TEST(PlanStoreWrites, ConsecutiveLayersOfOneHolderAreOneWrite) {
  const Layout old = Layout::dense(4, 2, 2);
  const auto ranges = even_ranges(2);
  const Holdings h = Holdings::of(old, ranges, {false, true, true, true});
  const auto writes = plan_store_writes(h, ranges.back().end_layer);
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[0], (StoreWrite{old.rank_of(1, 0), ranges[0]}));
  EXPECT_EQ(writes[1], (StoreWrite{old.rank_of(0, 1), ranges[1]}));
}

}  // namespace
}  // namespace parcae::elastic
