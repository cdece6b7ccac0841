#include "parcae/liveput/predictor_forecaster.hpp"

#include <span>

namespace parcae::liveput {

std::vector<Interval> PredictorForecaster::forecast(const trace::Series& series, int next, int,
                                                    int horizon) const {
  const std::span<const Interval> history(series.intervals.data(), static_cast<std::size_t>(next));
  return predictor_->forecast(history, horizon);
}

}  // namespace parcae::liveput
