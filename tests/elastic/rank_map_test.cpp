// Job ranks against the ranks of the communicator messages travel on: the
// identity until workers join after a death, then the survivors in order and
// the joiners after them.
#include "parcae/elastic/rank_map.hpp"

#include <gtest/gtest.h>

namespace parcae::elastic {
namespace {

// Job rank 2 of 1 + 6 died; ranks 7 and 8 joined over the survivors.
RankMap after_death_and_join() { return RankMap::joined({0, 1, 3, 4, 5, 6}, {7, 8}); }

TEST(RankMap, IsTheIdentityUntilAJoinAfterADeath) {
  const RankMap world(7);
  for (int r = 0; r < 7; ++r) {
    EXPECT_EQ(world.comm_rank(r), r);
    EXPECT_EQ(world.job_rank(r), r);
  }
  EXPECT_FALSE(world.has(7));
  EXPECT_THROW(world.comm_rank(7), std::logic_error);
  // A join with nobody dead keeps every number.
  const RankMap grown = RankMap::joined({0, 1, 2, 3, 4}, {5, 6});
  for (int r = 0; r < 7; ++r) EXPECT_EQ(grown.comm_rank(r), r);
}

TEST(RankMap, AJoinAfterADeathNumbersTheSurvivorsThenTheJoiners) {
  const RankMap map = after_death_and_join();
  EXPECT_EQ(map.size(), 8);
  EXPECT_EQ(map.comm_ranks({0, 1, 3, 6, 7, 8}), (std::vector<int>{0, 1, 2, 5, 6, 7}));
  EXPECT_EQ(map.job_ranks({2, 6}), (std::vector<int>{3, 7}));
  EXPECT_FALSE(map.has(2));
  EXPECT_THROW(map.comm_rank(2), std::logic_error);
  EXPECT_THROW(map.job_rank(8), std::logic_error);
}

TEST(RankMap, RefusesAJoinOutOfOrderOrWithoutTheCoordinator) {
  EXPECT_THROW(RankMap::joined({1, 3}, {7}), std::logic_error);
  EXPECT_THROW(RankMap::joined({0, 3, 1}, {7}), std::logic_error);
  EXPECT_THROW(RankMap::joined({0, 1, 3}, {3}), std::logic_error);
}

TEST(RankMap, AControlMessageNamesTheCommunicatorsRanks) {
  // 2 x 2 over job ranks 1, 3, 7, 8 of 8 known workers; rank 2 is dead, 7
  // and 8 arrive; 3's stage-0 layers go to 7, 1's stage-1 layers to 8.
  runtime::ControlMessage m;
  m.dp = m.pp = 2;
  m.placements = {0, -1, 2, -1, -1, -1, 1, 3};
  m.preempted = {2};
  m.allocated = {7, 8};
  m.moves = {{0, 3, 7, 10}, {1, 1, 8, 10}};
  m.saves = {{3, 0, 2}};
  const auto out = in_comm_ranks(m, after_death_and_join());
  EXPECT_EQ(out.placements, (std::vector<int>{0, 2, -1, -1, -1, 1, 3}));
  EXPECT_TRUE(out.preempted.empty());  // the dead rank has no process here
  EXPECT_EQ(out.allocated, (std::vector<int>{6, 7}));
  EXPECT_EQ(out.moves[0].from, 2);
  EXPECT_EQ(out.moves[0].to, 6);
  EXPECT_EQ(out.moves[1].from, 1);
  EXPECT_EQ(out.moves[1].to, 7);
  EXPECT_EQ(out.saves[0].rank, 2);
  // Everything else travels as it was.
  EXPECT_EQ(out.dp, 2);
  EXPECT_EQ(in_comm_ranks(m, RankMap(9)), m);
}

TEST(RankMap, APlacementOnARankWithNoProcessIsABug) {
  runtime::ControlMessage m;
  m.dp = 1;
  m.pp = 1;
  m.placements = {-1, 0};  // job rank 2, dead
  EXPECT_THROW(in_comm_ranks(m, after_death_and_join()), std::logic_error);
}

TEST(RankMap, RecoveryMessagesNameTheCommunicatorsRanks) {
  const RankMap map = after_death_and_join();
  EXPECT_EQ(in_comm_ranks(runtime::Survivors{4, {0, 1, 7, 8}, 12}, map).ranks,
            (std::vector<int>{0, 1, 6, 7}));
  // Rank 8 died later: an abort names it (2, dead before the join, is no longer there).
  EXPECT_EQ(in_comm_ranks(runtime::AbortStep{5, {2, 8}}, map).dead, std::vector<int>{7});
}

}  // namespace
}  // namespace parcae::elastic
