// Workers sharing a host's CPUs: the slowdown and the scaled table.
#include "parcae/elastic/host_share.hpp"

#include <gtest/gtest.h>

namespace parcae::elastic {
namespace {

using liveput::Config;

TEST(HostShare, NothingIsSharedWhileEachRankHasACpu) {
  const HostCrowding own_machines{0.125, 8};  // a host of 8 CPUs per worker
  for (int active = 1; active <= 8; ++active)
    EXPECT_EQ(crowding_slowdown(own_machines, active), 1.0);
  const HostCrowding one_host{1.0, 8};  // 8 workers on one 8-CPU host
  for (int active = 1; active <= 8; ++active) EXPECT_EQ(crowding_slowdown(one_host, active), 1.0);
  EXPECT_EQ(crowding_slowdown(HostCrowding{}, 6), 1.0);  // not measured
  EXPECT_EQ(crowding_slowdown(one_host, 0), 1.0);
}

TEST(HostShare, RanksBeyondTheCpusShareThem) {
  const HostCrowding four_on_two{2.0, 4};  // 4 workers on a 2-CPU host
  EXPECT_EQ(crowding_slowdown(four_on_two, 1), 1.0);
  EXPECT_EQ(crowding_slowdown(four_on_two, 2), 1.0);
  EXPECT_DOUBLE_EQ(crowding_slowdown(four_on_two, 3), 1.5);
  EXPECT_DOUBLE_EQ(crowding_slowdown(four_on_two, 4), 2.0);
  // Two hosts of 2 CPUs, 4 workers each: 6 active ranks put 3 on each host.
  const HostCrowding two_hosts{2.0, 8};
  EXPECT_EQ(crowding_slowdown(two_hosts, 4), 1.0);
  EXPECT_DOUBLE_EQ(crowding_slowdown(two_hosts, 6), 1.5);
}

TEST(HostShare, TheTableSlowsEachConfigurationByItsOwnCrowding) {
  const liveput::ThroughputTable table(
      {{{1, 1}, 10.0, 800.0}, {{2, 1}, 10.0, 1600.0}, {{1, 4}, 5.0, 1600.0}, {{2, 2}, 5.0, 3200.0}},
      "test");
  const auto crowded = crowded_table(table, HostCrowding{2.0, 4});
  EXPECT_EQ(crowded.source(), "test");
  EXPECT_DOUBLE_EQ(crowded.samples_per_s({1, 1}), 800.0);
  EXPECT_DOUBLE_EQ(crowded.samples_per_s({2, 1}), 1600.0);
  EXPECT_DOUBLE_EQ(crowded.samples_per_s({1, 4}), 800.0);
  EXPECT_DOUBLE_EQ(crowded.samples_per_s({2, 2}), 1600.0);
  EXPECT_DOUBLE_EQ(crowded.rows()[3].iteration_ms, 10.0);
  EXPECT_EQ(crowded.samples_per_s({3, 1}), 0.0);  // still infeasible
}

}  // namespace
}  // namespace parcae::elastic
