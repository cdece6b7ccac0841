#pragma once
// Scoring predictors over a series: every interval with a full history window
// before it and H intervals after it is a forecast origin.
#include <string>
#include <vector>

#include "parcae/predict/predictor.hpp"

namespace parcae::predict {

struct Accuracy {
  std::string predictor;
  int origins = 0;
  std::vector<double> mae;  // mean |N_hat - N| at horizon steps 1..H
  double mean_mae = 0.0;    // mean over steps
  // Share of origins where the next actual change of N (first step with
  // N != N_origin within H) went in the direction the forecast said at that
  // step; origins with no change in H are not counted.
  double direction_hit_rate = 0.0;
  int direction_origins = 0;
};

Accuracy evaluate(const Predictor& predictor, const trace::Series& series, int history, int horizon);

}  // namespace parcae::predict
