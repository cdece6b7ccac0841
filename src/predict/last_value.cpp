// Persistence: N stays at its last value. The baseline every other predictor
// has to beat (on the published trace it beats the Parcae artifact's ARIMA).
#include "predictors.hpp"

namespace parcae::predict::detail {
namespace {

class LastValue final : public Predictor {
 public:
  std::string name() const override { return "last-value"; }
  std::vector<Interval> forecast(std::span<const Interval> history, int horizon) const override {
    const int origin_n = history.empty() ? 0 : history.back().n;
    return hold_level(history, horizon, std::max(origin_n, 0));
  }
};

}  // namespace

std::unique_ptr<Predictor> make_last_value() { return std::make_unique<LastValue>(); }

}  // namespace parcae::predict::detail
