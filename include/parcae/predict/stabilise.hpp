#pragma once
// Parcae's stabilising heuristics, as its artifact applies them around ARIMA
// (JF-D/Parcae, liveput/trace_prediction.py), here as pure functions so that
// the `stable:<name>` layer can put them around any predictor:
//  - before fitting: remove short outliers and flatten the history before a
//    turning point, so the model fits the current trend rather than noise;
//  - after: bound how far the forecast may drift after its first step, damp
//    the changes after a long monotone run, and clamp to [0, cap].
#include <span>
#include <vector>

namespace parcae::predict {

// A run of 1..max_run values that leaves and returns to the same level
// (a[i] == a[i+run+1], all between differ from it) is set to that level.
// Runs are removed from the longest to the shortest, left to right, as Parcae
// does. The first and last values never change.
std::vector<int> remove_outliers(std::vector<int> levels, int max_run = 3);

// If the history dips below both of its ends, every value before the last
// minimum becomes that minimum (likewise for a peak above both ends): the
// model then sees only the trend since the turning point.
std::vector<int> flatten_turning_point(std::vector<int> levels);

// After a monotone history that moved by 5..9 (10 or more), the forecast's
// changes in that direction are scaled by 0.75 (0.5): a long run is not
// extrapolated at full speed.
struct ChangeScale {
  double up = 1.0;
  double down = 1.0;
};
ChangeScale monotone_run_scale(std::span<const int> levels);

// Every step after the first stays within first +- bound (Parcae: 3).
std::vector<int> bound_drift(std::vector<int> forecast, int bound = 3);

// Rebuilds the path from origin_n with each step's rise scaled by scale.up and
// each fall by scale.down, rounding the running level as Parcae does.
std::vector<int> scale_changes(int origin_n, std::span<const int> forecast, ChangeScale scale);

}  // namespace parcae::predict
