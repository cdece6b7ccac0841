#include "parcae/liveput/target_pruning.hpp"

#include <algorithm>
#include <numeric>

namespace parcae::liveput {

std::vector<bool> undominated(std::span<const int> instances, std::span<const double> throughput) {
  const std::size_t n = instances.size();
  // Sweep by instances ascending; within one count, throughput descending:
  // a configuration is kept when it beats every one with fewer instances and
  // equals the best of its own count.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (instances[a] != instances[b]) return instances[a] < instances[b];
    return throughput[a] > throughput[b];
  });
  std::vector<bool> keep(n, false);
  double best_fewer = -1.0;  // best throughput with strictly fewer instances
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    const double top = throughput[order[i]];
    for (; j < n && instances[order[j]] == instances[order[i]]; ++j)
      keep[order[j]] = throughput[order[j]] == top && top > best_fewer;
    best_fewer = std::max(best_fewer, top);
    i = j;
  }
  return keep;
}

std::vector<std::vector<int>> scaled_targets(const CostModel& model, double slack) {
  const auto& configs = model.configs();
  std::vector<int> inst;
  std::vector<double> thr;
  for (Config c : configs) inst.push_back(c.instances()), thr.push_back(model.samples_per_s(c));
  std::vector<bool> front = undominated(inst, thr);
  // Near the frontier: within `slack` of the best throughput on as many
  // instances. A shallower pipeline with more replicas loses a little
  // throughput and gains cheap intra-stage moves when instances go.
  const int most = inst.empty() ? 0 : *std::max_element(inst.begin(), inst.end());
  std::vector<double> best_upto(most + 1, 0.0);
  for (std::size_t t = 0; t < configs.size(); ++t)
    best_upto[inst[t]] = std::max(best_upto[inst[t]], thr[t]);
  for (int k = 1; k <= most; ++k) best_upto[k] = std::max(best_upto[k], best_upto[k - 1]);
  for (std::size_t t = 0; t < configs.size(); ++t)
    if (thr[t] >= (1.0 - slack) * best_upto[inst[t]]) front[t] = true;
  // best(N) breaks ties by its own scan order: keep whichever it picks.
  for (int n = 1; n <= most; ++n) {
    const auto it = std::find(configs.begin(), configs.end(), model.best_config(n));
    if (it != configs.end()) front[it - configs.begin()] = true;
  }
  std::vector<std::vector<int>> out(configs.size() + 1);
  for (std::size_t f = 0; f <= configs.size(); ++f) {
    for (std::size_t t = 0; t < configs.size(); ++t) {
      const bool same_depth = f < configs.size() && configs[t].pp == configs[f].pp;
      if (front[t] || same_depth) out[f].push_back(static_cast<int>(t));
    }
  }
  return out;
}

}  // namespace parcae::liveput
