#include <gtest/gtest.h>

#include "parcae/runtime/lr_schedule.hpp"

namespace parcae::runtime {
namespace {

TEST(LrSchedule, WarmupThenCosineToTheFloor) {
  const LrSchedule s{1.0, 0.1, 4, 14};
  EXPECT_DOUBLE_EQ(s.at(0), 0.25);
  EXPECT_DOUBLE_EQ(s.at(3), 1.0);
  EXPECT_DOUBLE_EQ(s.at(4), 1.0);                     // decay starts at the peak
  EXPECT_NEAR(s.at(4 + 9 / 2.0), 0.55, 0.1);          // about halfway down mid-decay
  EXPECT_DOUBLE_EQ(s.at(13), 0.1);                    // the last step is at the floor
  EXPECT_DOUBLE_EQ(s.at(50), 0.1);
  for (int k = 4; k < 13; ++k) EXPECT_GT(s.at(k), s.at(k + 1));
}

TEST(LrSchedule, NoWarmupAndSingleStep) {
  EXPECT_DOUBLE_EQ((LrSchedule{2.0, 0.0, 0, 1}).at(0), 2.0);
  EXPECT_DOUBLE_EQ((LrSchedule{2.0, 0.0, 0, 3}).at(0), 2.0);
  EXPECT_DOUBLE_EQ((LrSchedule{2.0, 0.0, 0, 3}).at(1), 1.0);
}

}  // namespace
}  // namespace parcae::runtime
