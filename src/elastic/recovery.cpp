// The step a recovery goes on from (see recovery.hpp).
#include "parcae/elastic/recovery.hpp"

#include <algorithm>
#include <set>

namespace parcae::elastic {

std::optional<ResumePoint> resume_point(const std::vector<SurvivorState>& survivors, int workers,
                                        int layers, std::int64_t logged) {
  std::set<std::int64_t, std::greater<>> steps;  // candidates, latest first
  for (const auto& s : survivors)
    if (s.held && s.step <= logged) steps.insert(s.step);
  for (const std::int64_t step : steps) {
    ResumePoint point{step, Holdings{std::vector<std::optional<StageRange>>(
                                static_cast<std::size_t>(workers))}};
    for (const auto& s : survivors)
      if (s.held && s.step == step) point.holdings.by_rank.at(s.rank - 1) = s.held;
    bool whole = true;
    for (int l = 0; l < layers && whole; ++l) whole = !point.holdings.holders(l).empty();
    if (whole) return point;
  }
  return std::nullopt;
}

}  // namespace parcae::elastic
