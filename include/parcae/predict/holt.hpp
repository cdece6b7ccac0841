#pragma once
// Additive damped-trend exponential smoothing (Gardner & McKenzie), in the
// form statsmodels' `Holt(y, damped_trend=True)` uses:
//   y_hat_t = l_{t-1} + phi b_{t-1}
//   l_t = alpha y_t + (1 - alpha)(l_{t-1} + phi b_{t-1})
//   b_t = beta (l_t - l_{t-1}) + (1 - beta) phi b_{t-1}
//   forecast_h = l_n + (phi + ... + phi^h) b_n
// Fitted by least squares of the one-step errors with statsmodels' bounds:
// 0 <= beta <= alpha <= 1, 0.8 <= phi <= 0.995, initial level and trend free.
#include <span>
#include <vector>

namespace parcae::predict {

struct HoltParams {
  double alpha = 0.5;
  double beta = 0.1;
  double phi = 0.9;
  double level0 = 0.0;  // l_{-1}, the state before the first observation
  double trend0 = 0.0;  // b_{-1}
};

struct HoltModel {
  HoltParams params;
  double sse = 0.0;  // sum of squared one-step errors over the series
};

double holt_sse(const HoltParams& params, std::span<const double> y);

// Searches alpha, beta, phi (a coarse grid, then Nelder-Mead); for each
// candidate the initial level and trend are solved exactly, because the
// one-step errors are linear in them.
HoltModel fit_damped_holt(std::span<const double> y);

std::vector<double> forecast_holt(const HoltParams& params, std::span<const double> y, int horizon);

}  // namespace parcae::predict
