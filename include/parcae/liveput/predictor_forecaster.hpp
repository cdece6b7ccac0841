#pragma once
// The `parcae` policy's view of the future: an availability predictor
// (src/predict) fed with every interval seen so far. The decision for an
// interval is taken when its events arrive (instances appear, preemption
// notices come in), the information the reactive baseline also acts on; the
// predictor forecasts the intervals after it.
#include "parcae/liveput/simulator.hpp"
#include "parcae/predict/predictor.hpp"

namespace parcae::liveput {

class PredictorForecaster : public Forecaster {
 public:
  // Keeps a reference to `predictor`.
  explicit PredictorForecaster(const predict::Predictor& predictor) : predictor_(&predictor) {}
  std::vector<Interval> forecast(const trace::Series& series, int next, int end,
                                 int horizon) const override;

 private:
  const predict::Predictor* predictor_;
};

}  // namespace parcae::liveput
