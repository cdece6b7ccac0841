// evaluate() on a tiny series worked by hand.
#include <gtest/gtest.h>

#include <vector>

#include "parcae/error.hpp"
#include "parcae/predict/evaluate.hpp"

namespace parcae::predict {
namespace {

trace::Series series_of(const std::vector<int>& levels) {
  trace::Series s;
  int previous = 0;
  for (int n : levels) {
    s.intervals.push_back({n, std::max(0, n - previous), std::max(0, previous - n)});
    previous = n;
  }
  return s;
}

// Forecasts N_origin + 1 at every step, and records the history lengths it saw.
class PlusOne final : public Predictor {
 public:
  mutable std::vector<std::size_t> seen;
  std::string name() const override { return "plus-one"; }
  std::vector<Interval> forecast(std::span<const Interval> history, int horizon) const override {
    seen.push_back(history.size());
    const int n = history.back().n + 1;
    std::vector<Interval> out{{n, 1, 0}};
    out.resize(horizon, Interval{n, 0, 0});
    return out;
  }
};

TEST(Evaluate, HandComputedTinyCase) {
  // N = 5 6 6 4 4 7, history 2, horizon 2: origins 1, 2, 3 (each has 2 after it).
  //  o=1 (N 6): forecast 7 7 vs 6 4 -> errors 1 3; first change: step 2 (down), forecast up: miss
  //  o=2 (N 6): forecast 7 7 vs 4 4 -> errors 3 3; first change: step 1 (down): miss
  //  o=3 (N 4): forecast 5 5 vs 4 7 -> errors 1 2; first change: step 2 (up): hit
  const auto s = series_of({5, 6, 6, 4, 4, 7});
  PlusOne p;
  const auto acc = evaluate(p, s, 2, 2);
  EXPECT_EQ(acc.predictor, "plus-one");
  EXPECT_EQ(acc.origins, 3);
  ASSERT_EQ(acc.mae.size(), 2u);
  EXPECT_DOUBLE_EQ(acc.mae[0], 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(acc.mae[1], 8.0 / 3.0);
  EXPECT_DOUBLE_EQ(acc.mean_mae, 13.0 / 6.0);
  EXPECT_EQ(acc.direction_origins, 3);
  EXPECT_DOUBLE_EQ(acc.direction_hit_rate, 1.0 / 3.0);
  // The predictor saw all intervals up to each origin.
  EXPECT_EQ(p.seen, (std::vector<std::size_t>{2, 3, 4}));
}

TEST(Evaluate, OriginsWithoutChangeAreNotCountedForDirection) {
  const auto s = series_of({3, 3, 3, 3, 3});
  PlusOne p;
  const auto acc = evaluate(p, s, 1, 1);
  EXPECT_EQ(acc.origins, 4);
  EXPECT_EQ(acc.direction_origins, 0);
  EXPECT_DOUBLE_EQ(acc.direction_hit_rate, 0.0);
  EXPECT_DOUBLE_EQ(acc.mean_mae, 1.0);
}

TEST(Evaluate, RefusesImpossibleArgumentsNamingTheOption) {
  const auto s = series_of({1, 2, 3, 4});
  PlusOne p;
  EXPECT_THROW(evaluate(p, s, 2, 0), InputError);
  EXPECT_THROW(evaluate(p, s, 0, 1), InputError);
  try {
    evaluate(p, s, 3, 2);
    ADD_FAILURE() << "a series shorter than history + horizon was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--history"), std::string::npos);
  }
  EXPECT_EQ(evaluate(p, s, 2, 2).origins, 1);
}

}  // namespace
}  // namespace parcae::predict
