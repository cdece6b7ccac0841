#pragma once
// Availability predictors: given the intervals seen so far, forecast the next
// H intervals of (N, n_in, n_out). Every forecast is consistent
// (N_k = N_{k-1} + n_in - n_out, all integers) and bounded to [0, cap], where
// cap is the configured capacity or, when that is 0, the largest N seen.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "parcae/trace/series.hpp"

namespace parcae::predict {

using trace::Interval;

struct PredictorOptions {
  int history = 12;  // intervals the model looks back over (Parcae: 8-12)
  int cap = 0;       // upper bound on N; 0 = the largest N in the history given
};

class Predictor {
 public:
  virtual ~Predictor() = default;
  virtual std::string name() const = 0;
  // `history` is every interval up to and including the forecast origin (a
  // predictor uses as much of it as its options say). Returns `horizon`
  // intervals. An empty history forecasts N = 0.
  virtual std::vector<Interval> forecast(std::span<const Interval> history, int horizon) const = 0;
};

// Builds a predictor by name ("last-value", "arima", "holt", ... and
// "stable:<name>" for Parcae's stabilising heuristics over any of them).
// Throws InputError naming the unknown predictor and listing the known ones.
std::unique_ptr<Predictor> make_predictor(const std::string& name, const PredictorOptions& options);
std::vector<std::string> predictor_names();

// The system's default predictor (chosen on the first half of the published
// trace, confirmed on the second; see README).
std::string default_predictor_name();

// Turns a real-valued path of levels into consistent integer intervals:
// rounds, clamps to [0, cap], and derives n_in / n_out from the steps.
std::vector<Interval> path_from_levels(int origin_n, std::span<const double> levels, int cap);

}  // namespace parcae::predict
