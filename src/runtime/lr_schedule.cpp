#include "parcae/runtime/lr_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace parcae::runtime {

double LrSchedule::at(int step) const {
  if (step < warmup_steps) return peak * (step + 1) / warmup_steps;
  const int decay_steps = total_steps - warmup_steps;
  if (decay_steps <= 1) return peak;
  const double progress = std::clamp(double(step - warmup_steps) / (decay_steps - 1), 0.0, 1.0);
  return min_lr + 0.5 * (peak - min_lr) * (1.0 + std::cos(std::numbers::pi * progress));
}

}  // namespace parcae::runtime
