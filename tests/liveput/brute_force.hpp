#pragma once
// The optimizer's reference: the best value over every configuration path
// (each step any configuration that fits, or none), by evaluate_path. With
// `scaled_set_only`, only the moves a scaled table considers.
#include <functional>
#include <span>
#include <vector>

#include "parcae/liveput/optimizer.hpp"

namespace parcae::liveput::testing {

inline double brute_force_best(TransitionTable& table, const PlannerState& state,
                               std::span<const Interval> future, bool scaled_set_only = false) {
  const auto& configs = table.model().configs();
  std::vector<Config> path;
  double best = -1.0;
  std::function<void(std::size_t, int)> visit = [&](std::size_t i, int from) {
    if (i == future.size()) {
      best = std::max(best, evaluate_path(table, state, future, path));
      return;
    }
    path.push_back({});
    visit(i + 1, -1);
    path.pop_back();
    for (std::size_t t = 0; t < configs.size(); ++t) {
      if (configs[t].instances() > future[i].n) continue;
      if (scaled_set_only &&
          !table.considers(from, static_cast<int>(t), table.scaled_for(future[i].n)))
        continue;
      path.push_back(configs[t]);
      visit(i + 1, static_cast<int>(t));
      path.pop_back();
    }
  };
  visit(0, state.config.training() ? table.index_of(state.config) : -1);
  return best;
}

}  // namespace parcae::liveput::testing
