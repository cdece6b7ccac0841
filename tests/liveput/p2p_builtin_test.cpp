#include <gtest/gtest.h>

#include "parcae/liveput/p2p.hpp"
#include "test_support.hpp"

namespace parcae::liveput {
namespace {

// The built-in table is the published one, row for row.
TEST(P2pBuiltin, EqualsThePublishedTable) {
  PARCAE_REQUIRE_SHARED("profiles/p2p_10gbps.csv");
  const auto file = read_p2p_file(testing::shared_file("profiles/p2p_10gbps.csv").string());
  const auto builtin = paper_p2p_10gbps();
  for (double bytes = 1; bytes < 4e9; bytes *= 1.7) {
    EXPECT_DOUBLE_EQ(builtin.milliseconds(bytes), file.milliseconds(bytes)) << bytes;
  }
}

}  // namespace
}  // namespace parcae::liveput
