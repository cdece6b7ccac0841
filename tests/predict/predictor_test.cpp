// Every predictor, on hand-made histories: forecasts are consistent
// (N_k = N_{k-1} + n_in - n_out, counts >= 0), integer, bounded by [0, cap]
// and exactly `horizon` long; names round-trip; unknown names are refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parcae/error.hpp"
#include "parcae/predict/predictor.hpp"

namespace parcae::predict {
namespace {

// Intervals from a list of levels (N starts at 0 before the first).
std::vector<Interval> intervals_from(const std::vector<int>& levels) {
  std::vector<Interval> out;
  int previous = 0;
  for (int n : levels) {
    out.push_back(Interval{n, std::max(0, n - previous), std::max(0, previous - n)});
    previous = n;
  }
  return out;
}

const std::vector<std::vector<int>>& histories() {
  static const std::vector<std::vector<int>> h = {
      {20, 21, 21, 23, 22, 22, 25, 24, 24, 26, 27, 27},            // rising with noise
      {32, 26, 26, 23, 22, 21, 21, 18, 18, 15, 15, 21},            // falling, then a jump
      {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5},                        // flat
      {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},     // steady climb toward the cap
      {12, 10, 8, 6, 4, 2, 1, 0, 0, 0, 0, 0},                      // fell to zero
      {30, 31, 31, 32, 32, 29, 29, 28, 28, 26, 27, 27, 28, 32, 32},  // at the cap
      {7},                                                         // a single interval
  };
  return h;
}

void expect_consistent(const std::vector<Interval>& path, int origin_n, int cap, int horizon) {
  ASSERT_EQ(path.size(), static_cast<std::size_t>(horizon));
  int previous = origin_n;
  for (const auto& iv : path) {
    EXPECT_GE(iv.n_in, 0);
    EXPECT_GE(iv.n_out, 0);
    EXPECT_EQ(iv.n, previous + iv.n_in - iv.n_out);
    EXPECT_GE(iv.n, 0);
    EXPECT_LE(iv.n, cap);
    previous = iv.n;
  }
}

std::vector<std::string> all_names() {
  auto names = predictor_names();
  names.push_back("arima(2,1,0)");
  names.push_back("arima(1,1,1)");
  names.push_back("arima(1,0,0)");
  names.push_back("stable:last-value");
  return names;
}

TEST(Predictor, EveryPredictorForecastsConsistentBoundedPaths) {
  for (const auto& name : all_names()) {
    for (int cap_option : {0, 40}) {
      PredictorOptions options;
      options.cap = cap_option;
      const auto predictor = make_predictor(name, options);
      for (const auto& levels : histories()) {
        SCOPED_TRACE(name + " cap " + std::to_string(cap_option) + " history of " +
                     std::to_string(levels.size()));
        const auto history = intervals_from(levels);
        int cap = cap_option;
        if (cap == 0)
          for (int n : levels) cap = std::max(cap, n);
        for (int horizon : {1, 12}) expect_consistent(predictor->forecast(history, horizon), levels.back(), cap, horizon);
      }
    }
  }
}

TEST(Predictor, EmptyHistoryForecastsZero) {
  for (const auto& name : all_names()) {
    const auto path = make_predictor(name, {})->forecast({}, 4);
    ASSERT_EQ(path.size(), 4u) << name;
    for (const auto& iv : path) EXPECT_EQ(iv, (Interval{0, 0, 0})) << name;
  }
}

TEST(Predictor, LastValueHoldsN) {
  const auto history = intervals_from({3, 4, 9});
  const auto path = make_predictor("last-value", {})->forecast(history, 3);
  for (const auto& iv : path) EXPECT_EQ(iv, (Interval{9, 0, 0}));
}

TEST(Predictor, ArimaExtrapolatesDampedMomentum) {
  // Differences 1,1,1,...: an AR(1) on them near phi = 1 keeps climbing, up to the cap.
  PredictorOptions options;
  options.cap = 100;
  const auto path = make_predictor("arima", options)->forecast(intervals_from({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}), 3);
  EXPECT_GT(path[0].n, 12);
  EXPECT_GE(path[2].n, path[0].n);
}

TEST(Predictor, ArimaUsesOnlyItsHistoryWindow) {
  // What lies before the last `history` intervals must not change the forecast.
  PredictorOptions options;
  options.history = 8;
  options.cap = 40;
  const auto predictor = make_predictor("arima", options);
  const std::vector<int> tail = {20, 21, 21, 23, 22, 22, 25, 24};
  auto a = tail, b = tail;
  a.insert(a.begin(), {30, 2, 17});
  b.insert(b.begin(), {5, 5});
  EXPECT_EQ(predictor->forecast(intervals_from(a), 6), predictor->forecast(intervals_from(b), 6));
}

TEST(Predictor, StableLayerHoldsASteepTrendBack) {
  // Holt extrapolates a steady climb; the stable layer keeps every step within
  // 3 of its first one and halves the rises after a monotone run of 10 or more.
  PredictorOptions options;
  options.cap = 100;
  const auto history = intervals_from({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  const auto raw = make_predictor("holt", options)->forecast(history, 12);
  const auto stable = make_predictor("stable:holt", options)->forecast(history, 12);
  EXPECT_GT(raw.back().n, raw.front().n + 3);
  for (const auto& iv : stable) {
    EXPECT_LE(iv.n, stable.front().n + 3);
    EXPECT_GE(iv.n, 16);
  }
  EXPECT_LE(stable.back().n, raw.back().n);
}

TEST(Predictor, CapComesFromHistoryWhenNotConfigured) {
  const auto path = make_predictor("holt", {})->forecast(intervals_from({10, 12, 14, 16, 18, 20}), 12);
  for (const auto& iv : path) EXPECT_LE(iv.n, 20);
}

TEST(Predictor, NamesRoundTrip) {
  for (const auto& name : all_names()) EXPECT_EQ(make_predictor(name, {})->name(), name == "arima(1,1,0)" ? "arima" : name);
  EXPECT_EQ(make_predictor("arima(1,1,0)", {})->name(), "arima");
  EXPECT_NO_THROW(make_predictor(default_predictor_name(), {}));
}

TEST(Predictor, UnknownNamesAreRefusedWithTheKnownOnes) {
  for (const std::string bad : {"arma", "arima(9,1,0)", "arima(1,1)", "arima(1,1,0)x", "stable:", "stable:nope", ""}) {
    try {
      make_predictor(bad, {});
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("last-value"), std::string::npos) << what;
    }
  }
}

TEST(PathFromLevels, RoundsClampsAndDerivesCounts) {
  const std::vector<double> levels{10.4, 12.6, 40.0, -3.0, 2.5};
  const auto path = path_from_levels(10, levels, 32);
  const std::vector<Interval> expected = {
      {10, 0, 0}, {13, 3, 0}, {32, 19, 0}, {0, 0, 32}, {3, 3, 0}};
  EXPECT_EQ(path, expected);
}

}  // namespace
}  // namespace parcae::predict
