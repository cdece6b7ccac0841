#pragma once
// A small derivative-free minimiser for the few-parameter fits of the
// predictors (ARMA likelihood, damped-trend smoothing SSE). Parameters are
// unconstrained: callers map them into their feasible region themselves.
#include <functional>
#include <span>
#include <vector>

namespace parcae::predict::detail {

struct MinimizeResult {
  std::vector<double> x;
  double value = 0.0;
  int evaluations = 0;
};

struct NelderMeadOptions {
  double initial_step = 0.5;  // simplex edge around the start point
  double f_tolerance = 1e-12;  // stop when the simplex values agree this well...
  double x_tolerance = 1e-9;   // ...and its vertices this closely
  int max_evaluations = 4000;
  int restarts = 2;  // restart from the best point: Nelder-Mead can stall on a ridge
};

using Objective = std::function<double(std::span<const double>)>;

MinimizeResult nelder_mead(const Objective& f, std::vector<double> start,
                           const NelderMeadOptions& options = {});

}  // namespace parcae::predict::detail
