// ARIMA(p, d, q) over the last `history` intervals of N, refitted at every
// origin as Parcae does (its default order is (1, 1, 0)).
#include <string>

#include "predictors.hpp"

namespace parcae::predict::detail {
namespace {

class Arima final : public Predictor {
 public:
  Arima(const PredictorOptions& options, ArimaOrder order) : options_(options), order_(order) {}

  std::string name() const override {
    if (order_.p == 1 && order_.d == 1 && order_.q == 0) return "arima";
    return "arima(" + std::to_string(order_.p) + "," + std::to_string(order_.d) + "," +
           std::to_string(order_.q) + ")";
  }

  std::vector<Interval> forecast(std::span<const Interval> history, int horizon) const override {
    const int cap = effective_cap(history, options_);
    if (history.empty()) return hold_level(history, horizon, cap);
    const auto y = recent_levels(history, options_.history);
    const auto model = fit_arima(y, order_);
    const auto levels = forecast_arima(model, y, horizon);
    return path_from_levels(history.back().n, levels, cap);
  }

 private:
  PredictorOptions options_;
  ArimaOrder order_;
};

}  // namespace

std::unique_ptr<Predictor> make_arima(const PredictorOptions& options, ArimaOrder order) {
  return std::make_unique<Arima>(options, order);
}

}  // namespace parcae::predict::detail
