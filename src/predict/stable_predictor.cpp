// `stable:<name>`: Parcae's stabilising heuristics around any predictor. The
// base model sees a cleaned history window (outliers removed, flattened before
// a turning point); its forecast is then held within +-3 of its first step,
// clamped to [0, cap] and damped after a long monotone run.
#include <algorithm>

#include "parcae/predict/stabilise.hpp"
#include "predictors.hpp"

namespace parcae::predict::detail {
namespace {

// Parcae's growth bound: a forecast moves at most 3 instances past its first step.
constexpr int kDriftBound = 3;

// The history with the N of its last `levels.size()` intervals replaced, the
// counts of those intervals rederived so that the history stays consistent.
std::vector<Interval> with_levels(std::span<const Interval> history, std::span<const int> levels) {
  std::vector<Interval> out(history.begin(), history.end());
  const std::size_t start = out.size() - levels.size();
  int previous = start == 0 ? 0 : out[start - 1].n;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const int n = levels[i];
    out[start + i] = Interval{n, std::max(0, n - previous), std::max(0, previous - n)};
    previous = n;
  }
  return out;
}

class Stable final : public Predictor {
 public:
  Stable(std::unique_ptr<Predictor> base, const PredictorOptions& options)
      : base_(std::move(base)), options_(options) {}

  std::string name() const override { return "stable:" + base_->name(); }

  std::vector<Interval> forecast(std::span<const Interval> history, int horizon) const override {
    const int cap = effective_cap(history, options_);
    if (history.empty()) return hold_level(history, horizon, cap);
    const auto raw = recent_levels(history, options_.history);
    const std::vector<int> window(raw.begin(), raw.end());
    const auto cleaned = flatten_turning_point(remove_outliers(window));
    const auto base_path = base_->forecast(with_levels(history, cleaned), horizon);

    std::vector<int> levels;
    for (const auto& iv : base_path) levels.push_back(iv.n);
    levels = bound_drift(std::move(levels), kDriftBound);
    for (int& n : levels) n = std::clamp(n, 0, cap);
    const int origin_n = history.back().n;
    levels = scale_changes(origin_n, levels, monotone_run_scale(cleaned));
    const std::vector<double> real(levels.begin(), levels.end());
    return path_from_levels(origin_n, real, cap);
  }

 private:
  std::unique_ptr<Predictor> base_;
  PredictorOptions options_;
};

}  // namespace

std::unique_ptr<Predictor> make_stable(std::unique_ptr<Predictor> base, const PredictorOptions& options) {
  return std::make_unique<Stable>(std::move(base), options);
}

}  // namespace parcae::predict::detail
