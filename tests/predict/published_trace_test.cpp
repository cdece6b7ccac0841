// evaluate() on the published trace (../shared/traces/p3trace.csv), checked
// against an independent computation: for last-value the mean MAE over the
// origins is a plain average that a few lines of numpy reproduce
// (N = cumsum(adds - removes) per 60 s interval; origins o in
// [start + 11, end - 12) of each window; mean over o and k of |N[o] - N[o+k]|):
//   first half [0, 341):   2.494758909853249 over 318 origins
//   second half [341, 683): 2.0718390804597706 over 319 origins
//   whole trace:           2.3073232323232324 over 660 origins
#include <gtest/gtest.h>

#include <algorithm>

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

TEST(PublishedTrace, DefaultPredictorWinsTheFirstHalfAndHoldsOnTheSecond) {
  // The rule that chose the default (README, "Availability predictors"): the
  // lowest mean MAE at H = 12, history 12 on the first half among the
  // predictors of the README's table, and no worse than last-value on the
  // second half.
  PARCAE_REQUIRE_SHARED("traces/p3trace.csv");
  const auto series = trace::discretise(
      trace::read_trace_file(parcae::testing::shared_file("traces/p3trace.csv").string()));
  const auto first = trace::window(series, 0.0, 341 / 60.0);
  const auto second = trace::window(series, 341 / 60.0, 683 / 60.0);
  const std::vector<std::string> listed = {"last-value",   "stable:arima", "arima", "arima(0,1,1)",
                                           "arima(2,1,0)", "stable:holt",  "holt"};
  const std::string chosen = default_predictor_name();
  ASSERT_NE(std::find(listed.begin(), listed.end(), chosen), listed.end()) << chosen;
  const double chosen_first = evaluate(*make_predictor(chosen, {}), first, 12, 12).mean_mae;
  for (const auto& name : listed) {
    if (name == chosen) continue;
    EXPECT_LT(chosen_first, evaluate(*make_predictor(name, {}), first, 12, 12).mean_mae)
        << chosen << " does not beat " << name << " on the first half";
  }
  EXPECT_LE(evaluate(*make_predictor(chosen, {}), second, 12, 12).mean_mae,
            evaluate(*make_predictor("last-value", {}), second, 12, 12).mean_mae + 1e-12);
}

}  // namespace
}  // namespace parcae::predict
