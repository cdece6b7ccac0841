#include <gtest/gtest.h>

#include "parcae/error.hpp"
#include "parcae/runtime/layout.hpp"

namespace parcae::runtime {
namespace {

TEST(Layout, DenseIsReplicaMajorWithParkedSpares) {
  const auto l = Layout::dense(7, 2, 3);
  EXPECT_EQ(l.active(), 6);
  EXPECT_EQ(l.placement_of(1), (Placement{0, 0}));
  EXPECT_EQ(l.placement_of(3), (Placement{0, 2}));
  EXPECT_EQ(l.placement_of(4), (Placement{1, 0}));
  EXPECT_EQ(l.placement_of(6), (Placement{1, 2}));
  EXPECT_FALSE(l.placement_of(7));
  EXPECT_FALSE(l.placement_of(0));  // the coordinator never trains
  EXPECT_EQ(l.rank_of(1, 1), 5);
  EXPECT_EQ(l.describe(), "2x3 on 7 workers (1 parked)");
}

TEST(Layout, RejectsMoreActiveRanksThanWorkers) {
  try {
    Layout::dense(5, 2, 3);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("needs 6 workers, but only 5"), std::string::npos);
  }
  EXPECT_THROW(Layout::dense(5, 0, 1), InputError);
}

TEST(Layout, FromPlacementsChecksEveryPositionHeldOnce) {
  using P = std::optional<Placement>;
  const auto l = Layout::from_placements(1, 2, {P{}, Placement{0, 1}, Placement{0, 0}});
  EXPECT_EQ(l.rank_of(0, 0), 3);
  EXPECT_FALSE(l.placement_of(1));
  EXPECT_THROW(Layout::from_placements(1, 2, {Placement{0, 0}, Placement{0, 0}}), InputError);
  EXPECT_THROW(Layout::from_placements(1, 2, {Placement{0, 0}}), InputError);
  EXPECT_THROW(Layout::from_placements(1, 2, {Placement{0, 0}, Placement{1, 1}}), InputError);
}

}  // namespace
}  // namespace parcae::runtime
