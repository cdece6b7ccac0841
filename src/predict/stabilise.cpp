// Parcae's stabilising heuristics; see include/parcae/predict/stabilise.hpp.
#include "parcae/predict/stabilise.hpp"

#include <algorithm>
#include <cmath>

namespace parcae::predict {
namespace {

void remove_runs_of(std::vector<int>& a, int run) {
  const int n = static_cast<int>(a.size());
  for (int i = 0; i + run + 1 < n; ++i) {
    if (a[i] != a[i + run + 1]) continue;
    bool all_differ = true;
    for (int j = 1; j <= run; ++j) all_differ = all_differ && a[i + j] != a[i];
    if (!all_differ) continue;
    for (int j = 1; j <= run; ++j) a[i + j] = a[i];
  }
}

bool monotone(std::span<const int> a, bool rising) {
  for (std::size_t i = 0; i + 1 < a.size(); ++i)
    if (rising ? a[i] > a[i + 1] : a[i] < a[i + 1]) return false;
  return true;
}

// Parcae's steps: a move of 5..9 is damped to 0.75, 10 or more to 0.5.
double scale_for_move(int move) {
  if (move >= 10) return 0.5;
  if (move >= 5) return 0.75;
  return 1.0;
}

}  // namespace

std::vector<int> remove_outliers(std::vector<int> levels, int max_run) {
  for (int run = max_run; run >= 1; --run) remove_runs_of(levels, run);
  return levels;
}

std::vector<int> flatten_turning_point(std::vector<int> levels) {
  if (levels.size() < 3) return levels;
  const int ends_low = std::min(levels.front(), levels.back());
  const int ends_high = std::max(levels.front(), levels.back());
  const int low = *std::min_element(levels.begin(), levels.end());
  const int high = *std::max_element(levels.begin(), levels.end());
  int target;
  if (low < ends_low) {
    target = low;
  } else if (high > ends_high) {
    target = high;
  } else {
    return levels;
  }
  const auto last = std::find(levels.rbegin(), levels.rend(), target);
  const auto pos = static_cast<std::size_t>(levels.rend() - last - 1);
  std::fill(levels.begin(), levels.begin() + static_cast<long>(pos), target);
  return levels;
}

ChangeScale monotone_run_scale(std::span<const int> levels) {
  ChangeScale scale;
  if (levels.empty()) return scale;
  const auto [low, high] = std::minmax_element(levels.begin(), levels.end());
  if (monotone(levels, true)) scale.up = scale_for_move(levels.back() - *low);
  if (monotone(levels, false)) scale.down = scale_for_move(*high - levels.back());
  return scale;
}

std::vector<int> bound_drift(std::vector<int> forecast, int bound) {
  if (forecast.empty()) return forecast;
  const int first = forecast.front();
  for (auto& n : forecast) n = std::clamp(n, first - bound, first + bound);
  return forecast;
}

std::vector<int> scale_changes(int origin_n, std::span<const int> forecast, ChangeScale scale) {
  std::vector<int> out;
  int previous_forecast = origin_n;
  int level = origin_n;
  for (int n : forecast) {
    const int step = n - previous_forecast;
    const double scaled = step > 0 ? step * scale.up : step * scale.down;
    level = static_cast<int>(std::lround(level + scaled));
    out.push_back(level);
    previous_forecast = n;
  }
  return out;
}

}  // namespace parcae::predict
