// Ranks to positions, keeping state in place (see layout_planner.hpp).
#include "parcae/elastic/layout_planner.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace parcae::elastic {
namespace {

// Bytes of `range` that `rank` already holds.
std::int64_t held_bytes(const Holdings& h, int rank, const StageRange& range,
                        std::span<const std::int64_t> layer_bytes) {
  std::int64_t sum = 0;
  for (int l = range.first_layer; l < range.end_layer; ++l) {
    if (h.holds(rank, l)) sum += layer_bytes[l];
  }
  return sum;
}

}  // namespace

Layout plan_layout(const Holdings& holdings, std::span<const int> alive, int dp, int pp,
                   std::span<const StageRange> next_ranges,
                   std::span<const std::int64_t> layer_bytes) {
  if (dp < 1 || pp < 1 || dp * pp > static_cast<int>(alive.size())) {
    throw std::logic_error("plan_layout: " + std::to_string(dp) + "x" + std::to_string(pp) +
                           " on " + std::to_string(alive.size()) + " alive ranks");
  }
  const int workers = holdings.workers();
  // Pairs (bytes held, rank, stage), largest holding first, then lowest rank and stage.
  std::vector<std::tuple<std::int64_t, int, int>> pairs;
  for (int rank : alive) {
    for (int s = 0; s < pp; ++s) {
      const auto bytes = held_bytes(holdings, rank, next_ranges[s], layer_bytes);
      if (bytes > 0) pairs.emplace_back(bytes, rank, s);
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
    return std::make_pair(std::get<1>(a), std::get<2>(a)) <
           std::make_pair(std::get<1>(b), std::get<2>(b));
  });
  std::vector<int> stage_of(workers + 1, -1);
  std::vector<std::vector<int>> members(pp);
  for (const auto& [bytes, rank, s] : pairs) {
    if (stage_of[rank] >= 0 || static_cast<int>(members[s].size()) >= dp) continue;
    stage_of[rank] = s;
    members[s].push_back(rank);
  }
  // Fill the rest with ranks that hold nothing first, then any unassigned rank.
  for (int pass = 0; pass < 2; ++pass) {
    for (int rank : alive) {
      if (stage_of[rank] >= 0) continue;
      if (pass == 0 && holdings.by_rank.at(rank - 1)) continue;
      for (int s = 0; s < pp; ++s) {
        if (static_cast<int>(members[s].size()) < dp) {
          stage_of[rank] = s;
          members[s].push_back(rank);
          break;
        }
      }
    }
  }
  std::vector<std::optional<runtime::Placement>> placements(workers);
  for (int s = 0; s < pp; ++s) {
    std::sort(members[s].begin(), members[s].end());
    for (int r = 0; r < dp; ++r) placements[members[s][r] - 1] = runtime::Placement{r, s};
  }
  return Layout::from_placements(dp, pp, std::move(placements));
}

}  // namespace parcae::elastic
