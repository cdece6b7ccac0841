// Quantiles: values checked by hand and against numpy.quantile's default
// ("linear") method.
#include "parcae/util/stats.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

using parcae::util::median;
using parcae::util::quantile;

TEST(Median, OddCountIsTheMiddleValue) { EXPECT_EQ(median({5, 1, 3}), 3.0); }

TEST(Median, EvenCountIsTheMeanOfTheTwoMiddleValues) {
  EXPECT_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_EQ(median({7, 1}), 4.0);
}

TEST(Median, OneValue) { EXPECT_EQ(median({42}), 42.0); }

TEST(Median, NoValuesIsAnError) { EXPECT_THROW(median({}), std::invalid_argument); }

TEST(Quantile, InterpolatesLikeNumpy) {
  // numpy.quantile([1, 2, 3, 4, 10], [0, 0.25, 0.9, 0.99, 1]) = 1, 2, 7.6, 9.76, 10
  const std::vector<double> v = {10, 3, 1, 4, 2};
  EXPECT_DOUBLE_EQ(quantile(v, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile(v, 0.25), 2.0);
  EXPECT_DOUBLE_EQ(quantile(v, 0.9), 7.6);
  EXPECT_DOUBLE_EQ(quantile(v, 0.99), 9.76);
  EXPECT_DOUBLE_EQ(quantile(v, 1.0), 10.0);
  EXPECT_EQ(quantile(v, 0.5), median(v));
}

TEST(Quantile, OutsideUnitIntervalIsAnError) {
  EXPECT_THROW(quantile({1, 2}, 1.5), std::invalid_argument);
  EXPECT_THROW(quantile({1, 2}, -0.1), std::invalid_argument);
  EXPECT_THROW(quantile({1, 2}, std::nan("")), std::invalid_argument);
}
