// Job ranks and communicator ranks (see rank_map.hpp).
#include "parcae/elastic/rank_map.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

namespace parcae::elastic {

RankMap::RankMap(int size) : job_of_comm_(static_cast<std::size_t>(size)) {
  std::iota(job_of_comm_.begin(), job_of_comm_.end(), 0);
}

RankMap RankMap::joined(const std::vector<int>& living, const std::vector<int>& joiners) {
  RankMap map(0);
  map.job_of_comm_ = living;
  map.job_of_comm_.insert(map.job_of_comm_.end(), joiners.begin(), joiners.end());
  if (living.empty() || living.front() != 0 ||
      !std::is_sorted(map.job_of_comm_.begin(), map.job_of_comm_.end()) ||
      std::adjacent_find(map.job_of_comm_.begin(), map.job_of_comm_.end()) !=
          map.job_of_comm_.end()) {
    throw std::logic_error("rank map: a join's ranks must ascend from the coordinator's 0");
  }
  return map;
}

bool RankMap::has(int job_rank) const {
  return std::binary_search(job_of_comm_.begin(), job_of_comm_.end(), job_rank);
}

int RankMap::comm_rank(int job_rank) const {
  const auto it = std::lower_bound(job_of_comm_.begin(), job_of_comm_.end(), job_rank);
  if (it == job_of_comm_.end() || *it != job_rank) {
    throw std::logic_error("rank map: job rank " + std::to_string(job_rank) +
                           " has no process in this world");
  }
  return static_cast<int>(it - job_of_comm_.begin());
}

int RankMap::job_rank(int comm_rank) const {
  if (comm_rank < 0 || comm_rank >= size()) {
    throw std::logic_error("rank map: no communicator rank " + std::to_string(comm_rank));
  }
  return job_of_comm_[static_cast<std::size_t>(comm_rank)];
}

std::vector<int> RankMap::comm_ranks(const std::vector<int>& job_ranks) const {
  std::vector<int> out;
  for (int r : job_ranks) out.push_back(comm_rank(r));
  return out;
}

std::vector<int> RankMap::job_ranks(const std::vector<int>& comm_ranks) const {
  std::vector<int> out;
  for (int r : comm_ranks) out.push_back(job_rank(r));
  return out;
}

namespace {

std::vector<int> present_only(const std::vector<int>& job_ranks, const RankMap& ranks) {
  std::vector<int> out;
  for (int r : job_ranks)
    if (ranks.has(r)) out.push_back(ranks.comm_rank(r));
  return out;
}

}  // namespace

runtime::ControlMessage in_comm_ranks(const runtime::ControlMessage& m, const RankMap& ranks) {
  runtime::ControlMessage out = m;
  out.placements.assign(static_cast<std::size_t>(ranks.size() - 1), -1);
  for (std::size_t w = 0; w < m.placements.size(); ++w) {
    const int job = static_cast<int>(w) + 1;
    if (m.placements[w] < 0) continue;
    out.placements[static_cast<std::size_t>(ranks.comm_rank(job) - 1)] = m.placements[w];
  }
  out.preempted = present_only(m.preempted, ranks);
  out.allocated = present_only(m.allocated, ranks);
  for (auto& move : out.moves) {
    move.from = ranks.comm_rank(move.from);
    move.to = ranks.comm_rank(move.to);
  }
  for (auto& save : out.saves) save.rank = ranks.comm_rank(save.rank);
  return out;
}

runtime::Survivors in_comm_ranks(const runtime::Survivors& m, const RankMap& ranks) {
  runtime::Survivors out = m;
  out.ranks = ranks.comm_ranks(m.ranks);
  return out;
}

runtime::AbortStep in_comm_ranks(const runtime::AbortStep& m, const RankMap& ranks) {
  runtime::AbortStep out = m;
  out.dead = present_only(m.dead, ranks);
  return out;
}

}  // namespace parcae::elastic
