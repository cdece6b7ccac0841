#include "parcae/liveput/predictor_forecaster.hpp"

#include <span>

namespace parcae::liveput {

std::vector<Interval> PredictorForecaster::forecast(const trace::Series& series, int next, int,
                                                    int horizon) const {
  if (horizon <= 0 || next >= static_cast<int>(series.intervals.size())) return {};
  const std::span<const Interval> seen(series.intervals.data(), static_cast<std::size_t>(next) + 1);
  std::vector<Interval> future = {series.intervals[next]};
  if (horizon > 1) {
    const auto rest = predictor_->forecast(seen, horizon - 1);
    future.insert(future.end(), rest.begin(), rest.end());
  }
  return future;
}

}  // namespace parcae::liveput
