#pragma once
// A small synthetic model for exhaustive tests: 10 layers of uneven sizes,
// every (dp, pp) with dp * pp <= 12 profiled, throughput growing with both.
#include <cmath>

#include "parcae/liveput/cost_model.hpp"

namespace parcae::liveput::testing {

inline CostModel small_model(CostConstants k = {}, ConfigSpace space = {1, 9}) {
  std::vector<ProfileRow> rows;
  for (int dp = 1; dp <= 6; ++dp)
    for (int pp = 1; pp <= 9; ++pp)
      if (dp * pp <= 12 && !(dp == 2 && pp == 5))  // one hole: infeasible
        rows.push_back({{dp, pp}, 1000.0, 10.0 * dp * std::sqrt(pp) + pp});
  std::vector<std::pair<double, double>> p2p = {{4, 100}, {1 << 20, 1000}, {1 << 30, 900000}};
  LayerParams layers = {50'000'000, 20'000'000, 20'000'000, 30'000'000, 20'000'000,
                        20'000'000, 25'000'000, 20'000'000, 20'000'000, 60'000'000};
  k.build_layers = 8;
  return CostModel(ThroughputTable(rows, "small"), P2pTable(p2p), layers, k, space);
}

}  // namespace parcae::liveput::testing
