// Scores a predictor at every forecast origin of a series; see
// include/parcae/predict/evaluate.hpp.
#include "parcae/predict/evaluate.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "parcae/error.hpp"

namespace parcae::predict {
namespace {

int sign(int x) { return (x > 0) - (x < 0); }

// The first step within the horizon where N leaves its origin value, or -1.
int first_change(std::span<const Interval> future, int origin_n) {
  for (std::size_t k = 0; k < future.size(); ++k)
    if (future[k].n != origin_n) return static_cast<int>(k);
  return -1;
}

void check_arguments(const trace::Series& series, int history, int horizon) {
  if (horizon < 1) throw InputError("--horizon must be at least 1 (got " + std::to_string(horizon) + ")");
  if (history < 1) throw InputError("--history must be at least 1 (got " + std::to_string(history) + ")");
  const auto need = static_cast<std::size_t>(history) + static_cast<std::size_t>(horizon);
  if (series.intervals.size() < need) {
    throw InputError("the series has " + std::to_string(series.intervals.size()) +
                     " intervals, too few for --history " + std::to_string(history) + " and --horizon " +
                     std::to_string(horizon) + " (needs at least " + std::to_string(need) + ")");
  }
}

}  // namespace

Accuracy evaluate(const Predictor& predictor, const trace::Series& series, int history, int horizon) {
  check_arguments(series, history, horizon);
  const std::span<const Interval> all(series.intervals);
  Accuracy acc;
  acc.predictor = predictor.name();
  acc.mae.assign(horizon, 0.0);
  int hits = 0;
  // Origin o: the last observed interval; the predictor sees [0, o].
  for (std::size_t o = history - 1; o + horizon < all.size(); ++o) {
    const auto forecast = predictor.forecast(all.first(o + 1), horizon);
    if (forecast.size() != static_cast<std::size_t>(horizon))
      throw std::logic_error(predictor.name() + " returned " + std::to_string(forecast.size()) +
                             " intervals for a horizon of " + std::to_string(horizon));
    const auto future = all.subspan(o + 1, horizon);
    for (int k = 0; k < horizon; ++k) acc.mae[k] += std::abs(forecast[k].n - future[k].n);
    const int origin_n = all[o].n;
    const int k = first_change(future, origin_n);
    if (k >= 0) {
      ++acc.direction_origins;
      hits += sign(forecast[k].n - origin_n) == sign(future[k].n - origin_n);
    }
    ++acc.origins;
  }
  double sum = 0.0;
  for (double& m : acc.mae) {
    m /= acc.origins;
    sum += m;
  }
  acc.mean_mae = sum / horizon;
  acc.direction_hit_rate = acc.direction_origins > 0 ? static_cast<double>(hits) / acc.direction_origins : 0.0;
  return acc;
}

}  // namespace parcae::predict
