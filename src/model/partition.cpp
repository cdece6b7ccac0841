// Contiguous, balanced split of layers into pipeline stages (see partition.hpp).
#include <algorithm>
#include <limits>

#include "parcae/error.hpp"
#include "parcae/model/partition.hpp"

namespace parcae::model {

std::vector<StageRange> partition_layers(std::span<const double> layer_costs, int stages) {
  const int n = static_cast<int>(layer_costs.size());
  if (stages < 1 || stages > n) {
    throw InputError("--pp " + std::to_string(stages) + ": a model of " + std::to_string(n) +
                     " layers (embedding, blocks, head) splits into 1.." + std::to_string(n) +
                     " pipeline stages");
  }
  std::vector<double> prefix(n + 1, 0.0);
  for (int i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + layer_costs[i];
  const auto cost = [&](int a, int b) { return prefix[b] - prefix[a]; };

  // best[p][i]: the smallest bottleneck of the first i layers in p stages;
  // cut[p][i]: where the last of those p stages starts.
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> best(stages + 1, std::vector<double>(n + 1, inf));
  std::vector<std::vector<int>> cut(stages + 1, std::vector<int>(n + 1, 0));
  best[0][0] = 0.0;
  for (int p = 1; p <= stages; ++p) {
    for (int i = p; i <= n; ++i) {
      for (int j = i - 1; j >= p - 1; --j) {  // later cuts first: longer earlier stages win ties
        const double candidate = std::max(best[p - 1][j], cost(j, i));
        if (candidate < best[p][i]) {
          best[p][i] = candidate;
          cut[p][i] = j;
        }
      }
    }
  }
  std::vector<StageRange> ranges(stages);
  for (int p = stages, end = n; p >= 1; --p) {
    ranges[p - 1] = {cut[p][end], end};
    end = cut[p][end];
  }
  return ranges;
}

double bottleneck(std::span<const double> layer_costs, std::span<const StageRange> stages) {
  double worst = 0.0;
  for (const auto& s : stages) {
    double total = 0.0;
    for (int i = s.first_layer; i < s.end_layer; ++i) total += layer_costs[i];
    worst = std::max(worst, total);
  }
  return worst;
}

}  // namespace parcae::model
