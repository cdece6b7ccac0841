// Helpers shared by the predictors, and path_from_levels, which turns any
// real-valued forecast into consistent integer intervals.
#include <algorithm>
#include <cmath>

#include "predictors.hpp"

namespace parcae::predict {

std::vector<Interval> path_from_levels(int origin_n, std::span<const double> levels, int cap) {
  std::vector<Interval> path;
  path.reserve(levels.size());
  int previous = origin_n;
  for (double level : levels) {
    const double bounded = std::isfinite(level) ? std::clamp(level, 0.0, static_cast<double>(cap)) : previous;
    const int n = static_cast<int>(std::lround(bounded));
    path.push_back(Interval{n, std::max(0, n - previous), std::max(0, previous - n)});
    previous = n;
  }
  return path;
}

namespace detail {

int effective_cap(std::span<const Interval> history, const PredictorOptions& options) {
  if (options.cap > 0) return options.cap;
  int cap = 0;
  for (const auto& iv : history) cap = std::max(cap, iv.n);
  return cap;
}

std::vector<double> recent_levels(std::span<const Interval> history, int count) {
  const std::size_t take = std::min<std::size_t>(history.size(), static_cast<std::size_t>(std::max(count, 0)));
  std::vector<double> levels;
  for (const auto& iv : history.subspan(history.size() - take)) levels.push_back(iv.n);
  return levels;
}

std::vector<Interval> hold_level(std::span<const Interval> history, int horizon, int cap) {
  const int origin_n = history.empty() ? 0 : history.back().n;
  const std::vector<double> flat(static_cast<std::size_t>(std::max(horizon, 0)), origin_n);
  return path_from_levels(origin_n, flat, cap);
}

}  // namespace detail
}  // namespace parcae::predict
