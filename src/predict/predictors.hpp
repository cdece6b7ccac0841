#pragma once
// The concrete predictors behind make_predictor, and the small helpers they
// share. Private to src/predict.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "parcae/predict/arima.hpp"
#include "parcae/predict/predictor.hpp"

namespace parcae::predict::detail {

std::unique_ptr<Predictor> make_last_value();
std::unique_ptr<Predictor> make_arima(const PredictorOptions& options, ArimaOrder order);
std::unique_ptr<Predictor> make_holt(const PredictorOptions& options);
std::unique_ptr<Predictor> make_stable(std::unique_ptr<Predictor> base, const PredictorOptions& options);

// options.cap, or the largest N in `history` when that is 0.
int effective_cap(std::span<const Interval> history, const PredictorOptions& options);

// N of the last `count` intervals (all of them when fewer), as doubles.
std::vector<double> recent_levels(std::span<const Interval> history, int count);

// The forecast of a predictor with nothing to go on: N stays where it is.
std::vector<Interval> hold_level(std::span<const Interval> history, int horizon, int cap);

}  // namespace parcae::predict::detail
