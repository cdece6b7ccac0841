// Parcae's stabilising heuristics, on the cases its artifact's code handles
// (JF-D/Parcae liveput/trace_prediction.py), worked by hand.
#include <gtest/gtest.h>

#include <vector>

#include "parcae/predict/stabilise.hpp"

namespace parcae::predict {
namespace {

using V = std::vector<int>;

TEST(Stabilise, RemovesShortExcursionsThatReturn) {
  EXPECT_EQ(remove_outliers(V{5, 5, 9, 5, 5}), (V{5, 5, 5, 5, 5}));            // run of 1
  EXPECT_EQ(remove_outliers(V{5, 8, 7, 6, 5, 4}), (V{5, 5, 5, 5, 5, 4}));      // run of 3
  EXPECT_EQ(remove_outliers(V{5, 8, 7, 6, 2, 5}), (V{5, 8, 7, 6, 2, 5}));      // run of 4: kept
  EXPECT_EQ(remove_outliers(V{5, 6, 7, 8}), (V{5, 6, 7, 8}));                  // no return: kept
  EXPECT_EQ(remove_outliers(V{5, 6, 5, 6, 7}), (V{5, 5, 5, 6, 7}));            // left to right, shorter after
}

TEST(Stabilise, FirstAndLastValuesNeverChange) {
  const V a{3, 9, 9, 3, 8, 1};
  const auto b = remove_outliers(a);
  EXPECT_EQ(b.front(), a.front());
  EXPECT_EQ(b.back(), a.back());
}

TEST(Stabilise, FlattensBeforeTheLastTurningPoint) {
  // Dip below both ends: everything before the last minimum becomes the minimum.
  EXPECT_EQ(flatten_turning_point(V{20, 18, 15, 17, 15, 19, 21}), (V{15, 15, 15, 15, 15, 19, 21}));
  // Peak above both ends.
  EXPECT_EQ(flatten_turning_point(V{10, 14, 16, 13, 12}), (V{16, 16, 16, 13, 12}));
  // Monotone: nothing to flatten.
  EXPECT_EQ(flatten_turning_point(V{10, 11, 11, 12}), (V{10, 11, 11, 12}));
}

TEST(Stabilise, MonotoneRunsDampTheirDirection) {
  EXPECT_DOUBLE_EQ(monotone_run_scale(V{10, 11, 12, 13}).up, 1.0);   // moved 3
  EXPECT_DOUBLE_EQ(monotone_run_scale(V{10, 12, 14, 16}).up, 0.75);  // moved 6
  EXPECT_DOUBLE_EQ(monotone_run_scale(V{10, 15, 20}).up, 0.5);       // moved 10
  EXPECT_DOUBLE_EQ(monotone_run_scale(V{10, 15, 20}).down, 1.0);
  EXPECT_DOUBLE_EQ(monotone_run_scale(V{20, 14, 14}).down, 0.75);
  EXPECT_DOUBLE_EQ(monotone_run_scale(V{10, 15, 12}).up, 1.0);       // not monotone
}

TEST(Stabilise, DriftStaysWithinBoundOfFirstStep) {
  EXPECT_EQ(bound_drift(V{20, 22, 24, 26, 15}), (V{20, 22, 23, 23, 17}));
}

TEST(Stabilise, ScaledChangesRebuildThePath) {
  // Rises of 2 each scaled by 0.5: 10 -> 11 -> 12 -> 13; the fall of 4 unscaled.
  EXPECT_EQ(scale_changes(10, V{12, 14, 16, 12}, ChangeScale{0.5, 1.0}), (V{11, 12, 13, 9}));
}

}  // namespace
}  // namespace parcae::predict
