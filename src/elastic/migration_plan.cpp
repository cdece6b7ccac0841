// Transfers from live holders to the next layout (see migration_plan.hpp).
#include "parcae/elastic/migration_plan.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace parcae::elastic {
namespace {

void check_tiling(std::span<const StageRange> ranges, int layers) {
  int next = 0;
  for (const auto& r : ranges) {
    if (r.first_layer != next || r.end_layer <= r.first_layer) {
      throw std::logic_error("stage ranges do not tile the model's layers");
    }
    next = r.end_layer;
  }
  if (next != layers) throw std::logic_error("stage ranges do not cover the model's layers");
}

Reconfiguration kind_of(const MigrationPlan& plan, const std::optional<Previous>& previous,
                        const Layout& next, std::span<const StageRange> next_ranges) {
  if (!previous) return Reconfiguration::start;
  if (!plan.lost_layers.empty()) return Reconfiguration::rollback;
  const Layout& before = *previous->layout;
  const bool same_stages = std::equal(previous->ranges.begin(), previous->ranges.end(),
                                      next_ranges.begin(), next_ranges.end());
  if (!same_stages) return Reconfiguration::pipeline;
  if (!plan.transfers.empty()) {
    return next.dp() > before.dp() ? Reconfiguration::grow : Reconfiguration::inter_stage;
  }
  return next == before ? Reconfiguration::none : Reconfiguration::intra_stage;
}

}  // namespace

const char* to_string(Reconfiguration kind) {
  switch (kind) {
    case Reconfiguration::none:
      return "none";
    case Reconfiguration::start:
      return "start";
    case Reconfiguration::intra_stage:
      return "intra-stage";
    case Reconfiguration::inter_stage:
      return "inter-stage";
    case Reconfiguration::grow:
      return "grow";
    case Reconfiguration::pipeline:
      return "pipeline";
    case Reconfiguration::rollback:
      return "rollback";
  }
  return "?";
}

Holdings Holdings::of(const Layout& layout, std::span<const StageRange> ranges,
                      const std::vector<bool>& usable) {
  Holdings h;
  h.by_rank.resize(layout.workers());
  for (int rank = 1; rank <= layout.workers(); ++rank) {
    const auto p = layout.placement_of(rank);
    if (p && usable.at(rank - 1)) h.by_rank[rank - 1] = ranges[p->stage];
  }
  return h;
}

bool Holdings::holds(int rank, int layer) const {
  const auto& r = by_rank.at(rank - 1);
  return r && layer >= r->first_layer && layer < r->end_layer;
}

std::vector<int> Holdings::holders(int layer) const {
  std::vector<int> out;
  for (int rank = 1; rank <= workers(); ++rank) {
    if (holds(rank, layer)) out.push_back(rank);
  }
  return out;
}

std::int64_t MigrationPlan::bytes() const {
  std::int64_t sum = 0;
  for (const auto& t : transfers) sum += t.bytes;
  return sum;
}

namespace {

std::vector<int> distinct_ranks(const std::vector<Transfer>& transfers, int Transfer::*end) {
  std::vector<int> out;
  for (const auto& t : transfers) out.push_back(t.*end);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::vector<int> MigrationPlan::sources() const {
  return distinct_ranks(transfers, &Transfer::from);
}

std::vector<int> MigrationPlan::destinations() const {
  return distinct_ranks(transfers, &Transfer::to);
}

MigrationPlan plan_migration(const Holdings& holdings, const std::optional<Previous>& previous,
                             const Layout& next, std::span<const StageRange> next_ranges,
                             std::span<const std::int64_t> layer_bytes) {
  const int layers = static_cast<int>(layer_bytes.size());
  check_tiling(next_ranges, layers);
  if (static_cast<int>(next_ranges.size()) != next.pp()) {
    throw std::logic_error("plan_migration: " + std::to_string(next_ranges.size()) +
                           " stage ranges for a layout of " + std::to_string(next.pp()) +
                           " stages");
  }
  MigrationPlan plan;
  if (previous) {
    for (int l = 0; l < layers; ++l) {
      if (holdings.holders(l).empty()) plan.lost_layers.push_back(l);
    }
  }
  if (previous && plan.lost_layers.empty()) {
    std::map<int, std::int64_t> sent;  // bytes per source so far
    for (int rank = 1; rank <= next.workers(); ++rank) {
      const auto p = next.placement_of(rank);
      if (!p) continue;
      const StageRange& want = next_ranges[p->stage];
      for (int l = want.first_layer; l < want.end_layer; ++l) {
        if (holdings.holds(rank, l)) continue;
        int best = 0;
        for (int h : holdings.holders(l)) {
          if (best == 0 || sent[h] < sent[best]) best = h;
        }
        sent[best] += layer_bytes[l];
        plan.transfers.push_back({l, best, rank, layer_bytes[l]});
      }
    }
  }
  plan.kind = kind_of(plan, previous, next, next_ranges);
  return plan;
}

std::vector<StoreWrite> plan_store_writes(const Holdings& holdings, int layers) {
  std::vector<StoreWrite> writes;
  for (int l = 0; l < layers; ++l) {
    const auto holders = holdings.holders(l);
    if (holders.empty()) return {};
    if (!writes.empty() && writes.back().rank == holders.front() &&
        writes.back().layers.end_layer == l) {
      ++writes.back().layers.end_layer;
    } else {
      writes.push_back({holders.front(), StageRange{l, l + 1}});
    }
  }
  return writes;
}

}  // namespace parcae::elastic
