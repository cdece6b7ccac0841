#include "parcae/liveput/migration_cost.hpp"

#include <algorithm>
#include <numeric>

namespace parcae::liveput {

const char* to_string(MigrationKind kind) {
  switch (kind) {
    case MigrationKind::none: return "none";
    case MigrationKind::start: return "start";
    case MigrationKind::intra_stage: return "intra-stage";
    case MigrationKind::inter_stage: return "inter-stage";
    case MigrationKind::pipeline: return "pipeline";
    case MigrationKind::rollback: return "rollback";
  }
  return "?";
}

MigrationCost MigrationCoster::start_cost(Config target) const {
  const CostModel& m = *model_;
  double ms = m.restart_ms(target, RestartKind::add);
  if (target.dp > 1) ms += m.max_stage_transfer_ms(target.pp);
  return {ms, MigrationKind::start};
}

MigrationCost MigrationCoster::cost(Config from, std::span<const int> survivors, int n_out,
                                    Config target) {
  const CostModel& m = *model_;
  if (!from.training()) return start_cost(target);
  const int min_left = *std::min_element(survivors.begin(), survivors.end());
  const bool grid_intact = min_left == from.dp &&
      std::all_of(survivors.begin(), survivors.end(), [&](int r) { return r == from.dp; });
  if (target == from && grid_intact) return {0.0, MigrationKind::none};
  if (target.pp == from.pp && min_left >= target.dp)
    return {m.intra_stage_ms(target), MigrationKind::intra_stage};
  if (min_left == 0 && m.constants().notice_s <= 0.0)
    return {m.rollback_ms(target), MigrationKind::rollback};

  const RestartKind kind = target.instances() > from.instances() - n_out ? RestartKind::add
                                                                           : RestartKind::remove;
  const double restart = m.restart_ms(target, kind);
  if (target.pp == from.pp) {
    const auto& stage_ms = m.stage_transfer_ms(from.pp);
    double worst = 0.0, lost = 0.0;
    for (int s = 0; s < from.pp; ++s) {
      if (survivors[s] >= target.dp) continue;
      worst = std::max(worst, stage_ms[s]);
      if (survivors[s] == 0) lost += stage_ms[s];
    }
    return {std::max(worst, lost) + restart, MigrationKind::inter_stage};
  }
  const double missing = repartition_missing_params(from.pp, target.pp, survivors);
  double ms = m.p2p_ms(missing * m.constants().bytes_per_param) + restart;
  if (target.dp > 1) ms += m.max_stage_transfer_ms(target.pp);
  return {ms, MigrationKind::pipeline};
}

const MigrationCoster::Repartition& MigrationCoster::repartition(int old_pp, int new_pp) {
  auto it = plans_.find({old_pp, new_pp});
  if (it != plans_.end()) return it->second;
  const CostModel& m = *model_;
  const auto& old_b = m.boundaries(old_pp);
  const auto& new_b = m.boundaries(new_pp);
  const auto& layers = m.layers();
  Repartition plan;
  plan.missing.assign(new_pp, std::vector<std::int64_t>(old_pp, 0));
  for (int t = 0; t < new_pp; ++t) {
    for (int s = 0; s < old_pp; ++s) {
      std::int64_t miss = 0;
      for (int l = new_b[t]; l < new_b[t + 1]; ++l)
        if (l < old_b[s] || l >= old_b[s + 1]) miss += layers[l];
      plan.missing[t][s] = miss;
    }
    std::vector<int> order(old_pp);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return plan.missing[t][a] < plan.missing[t][b];
    });
    plan.preference.push_back(std::move(order));
  }
  return plans_.emplace(std::make_pair(old_pp, new_pp), std::move(plan)).first->second;
}

double MigrationCoster::repartition_missing_params(int old_pp, int new_pp,
                                                   std::span<const int> survivors) {
  const Repartition& plan = repartition(old_pp, new_pp);
  const auto& new_params = model_->stage_params(new_pp);
  scratch_.assign(survivors.begin(), survivors.end());
  double total = 0.0;
  for (int t = 0; t < new_pp; ++t) {
    double need = static_cast<double>(new_params[t]);  // no holder left: a fresh instance
    for (int s : plan.preference[t]) {
      if (scratch_[s] == 0) continue;
      --scratch_[s];
      need = static_cast<double>(plan.missing[t][s]);
      break;
    }
    total += need;
  }
  return total;
}

}  // namespace parcae::liveput
