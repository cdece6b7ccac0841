// Damped-trend exponential smoothing over the last `history` intervals of N,
// refitted at every origin (the artifact's "ES" method).
#include "parcae/predict/holt.hpp"
#include "predictors.hpp"

namespace parcae::predict::detail {
namespace {

class Holt final : public Predictor {
 public:
  explicit Holt(const PredictorOptions& options) : options_(options) {}

  std::string name() const override { return "holt"; }

  std::vector<Interval> forecast(std::span<const Interval> history, int horizon) const override {
    const int cap = effective_cap(history, options_);
    if (history.empty()) return hold_level(history, horizon, cap);
    const auto y = recent_levels(history, options_.history);
    const auto model = fit_damped_holt(y);
    const auto levels = forecast_holt(model.params, y, horizon);
    return path_from_levels(history.back().n, levels, cap);
  }

 private:
  PredictorOptions options_;
};

}  // namespace

std::unique_ptr<Predictor> make_holt(const PredictorOptions& options) {
  return std::make_unique<Holt>(options);
}

}  // namespace parcae::predict::detail
