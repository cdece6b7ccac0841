// evaluate() on the published trace (../shared/traces/p3trace.csv), checked
// against an independent computation: for last-value the mean MAE over the
// origins is a plain average that a few lines of numpy reproduce
// (N = cumsum(adds - removes) per 60 s interval; origins o in
// [start + 11, end - 12) of each window; mean over o and k of |N[o] - N[o+k]|):
//   first half [0, 341):   2.494758909853249 over 318 origins
//   second half [341, 683): 2.0718390804597706 over 319 origins
//   whole trace:           2.3073232323232324 over 660 origins
#include <gtest/gtest.h>

#include "parcae/predict/evaluate.hpp"
#include "parcae/trace/series.hpp"
#include "parcae/trace/trace.hpp"
#include "test_support.hpp"

namespace parcae::predict {
namespace {

TEST(PublishedTrace, LastValueMatchesIndependentComputation) {
  PARCAE_REQUIRE_SHARED("traces/p3trace.csv");
  const auto series = trace::discretise(
      trace::read_trace_file(parcae::testing::shared_file("traces/p3trace.csv").string()));
  ASSERT_EQ(series.intervals.size(), 683u);
  const auto predictor = make_predictor("last-value", {});
  const auto first = evaluate(*predictor, trace::window(series, 0.0, 341 / 60.0), 12, 12);
  const auto second = evaluate(*predictor, trace::window(series, 341 / 60.0, 683 / 60.0), 12, 12);
  const auto whole = evaluate(*predictor, series, 12, 12);
  EXPECT_EQ(first.origins, 318);
  EXPECT_EQ(second.origins, 319);
  EXPECT_EQ(whole.origins, 660);
  EXPECT_NEAR(first.mean_mae, 2.494758909853249, 1e-12);
  EXPECT_NEAR(second.mean_mae, 2.0718390804597706, 1e-12);
  EXPECT_NEAR(whole.mean_mae, 2.3073232323232324, 1e-12);
}

TEST(PublishedTrace, DefaultPredictorIsNoWorseThanLastValueOnEitherHalf) {
  // The rule that chose the default (README): lowest mean MAE at H = 12,
  // history 12 on the first half, confirmed on the second.
  PARCAE_REQUIRE_SHARED("traces/p3trace.csv");
  const auto series = trace::discretise(
      trace::read_trace_file(parcae::testing::shared_file("traces/p3trace.csv").string()));
  const auto chosen = make_predictor(default_predictor_name(), {});
  const auto baseline = make_predictor("last-value", {});
  for (const auto& half : {trace::window(series, 0.0, 341 / 60.0), trace::window(series, 341 / 60.0, 683 / 60.0)}) {
    EXPECT_LE(evaluate(*chosen, half, 12, 12).mean_mae, evaluate(*baseline, half, 12, 12).mean_mae + 1e-12);
  }
}

}  // namespace
}  // namespace parcae::predict
