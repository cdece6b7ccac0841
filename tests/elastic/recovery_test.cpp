// The step a recovery goes on from: the latest one every layer still has a
// survivor at, never past the coordinator's log, and a rollback otherwise.
#include "parcae/elastic/recovery.hpp"

#include <gtest/gtest.h>

namespace parcae::elastic {
namespace {

// 2 x 3 on ranks 1..6 over layers {0,1}, {2,3}, {4,5}: rank 1 + 3r + s.
std::vector<SurvivorState> two_by_three(std::int64_t step) {
  const StageRange ranges[] = {{0, 2}, {2, 4}, {4, 6}};
  std::vector<SurvivorState> out;
  for (int r = 0; r < 2; ++r)
    for (int s = 0; s < 3; ++s) out.push_back({1 + 3 * r + s, ranges[s], step});
  return out;
}

std::vector<SurvivorState> without(std::vector<SurvivorState> all, int rank) {
  std::erase_if(all, [&](const SurvivorState& s) { return s.rank == rank; });
  return all;
}

TEST(Recovery, AllSurvivorsAtOneStepGoOnFromIt) {
  const auto point = resume_point(without(two_by_three(12), 2), 6, 6, 12);
  ASSERT_TRUE(point);
  EXPECT_EQ(point->step, 12);
  EXPECT_EQ(point->holdings.holders(2), std::vector<int>{5});
  EXPECT_FALSE(point->holdings.by_rank[1].has_value());
}

TEST(Recovery, AReplicaOneStepAheadIsUsedWhenItHoldsEveryLayer) {
  auto survivors = without(two_by_three(12), 2);
  for (auto& s : survivors)
    if (s.rank >= 4) s.step = 13;  // replica 1 finished step 12 before the abort
  const auto point = resume_point(survivors, 6, 6, 13);
  ASSERT_TRUE(point);
  EXPECT_EQ(point->step, 13);
  EXPECT_FALSE(point->holdings.by_rank[0].has_value());  // rank 1 is a step behind
  // Not yet logged: the coordinator never heard step 12's loss from every
  // replica, so the state one step ahead is no use and the behind one lacks
  // layers 2-3.
  EXPECT_FALSE(resume_point(survivors, 6, 6, 12));
}

TEST(Recovery, ALaterStepMissingALayerFallsBackToAnEarlierWholeOne) {
  auto survivors = two_by_three(20);
  survivors[0].step = 21;  // rank 1 alone went ahead
  const auto point = resume_point(survivors, 6, 6, 21);
  ASSERT_TRUE(point);
  EXPECT_EQ(point->step, 20);
  EXPECT_EQ(point->holdings.holders(0), std::vector<int>{4});
}

TEST(Recovery, ALayerWithNoSurvivorIsARollback) {
  EXPECT_FALSE(resume_point(without(without(two_by_three(9), 2), 5), 6, 6, 9));
  EXPECT_FALSE(resume_point({}, 6, 6, 0));
  // Parked survivors hold nothing.
  EXPECT_FALSE(resume_point({{1, std::nullopt, 0}, {2, std::nullopt, 0}}, 2, 6, 0));
}

}  // namespace
}  // namespace parcae::elastic
