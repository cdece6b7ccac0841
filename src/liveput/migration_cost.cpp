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

MigrationCoster::MigrationCoster(const CostModel& model) : model_(&model) {
  for (Config c : model.configs())
    targets_.push_back({model.restart_ms(c, RestartKind::add), model.restart_ms(c, RestartKind::remove),
                        model.intra_stage_ms(c), model.rollback_ms(c),
                        c.dp > 1 ? model.max_stage_transfer_ms(c.pp) : 0.0});
}

RestartKind MigrationCoster::restart_kind(Config from, int n_out, int alive, Config target) const {
  const int kept = (model_->constants().spares_in_job ? alive : from.instances()) - n_out;
  return target.instances() > kept ? RestartKind::add : RestartKind::remove;
}

void MigrationCoster::costs_to_all(Config from, std::span<const int> survivors, int n_out,
                                   int alive, std::span<MigrationCost> out) {
  all_.resize(model_->configs().size());
  std::iota(all_.begin(), all_.end(), 0);
  costs_to(from, survivors, n_out, alive, all_, out);
}

void MigrationCoster::costs_to(Config from, std::span<const int> survivors, int n_out, int alive,
                               std::span<const int> targets, std::span<MigrationCost> out) {
  const CostModel& m = *model_;
  const auto& configs = m.configs();
  if (!from.training()) {
    for (const int i : targets) out[i] = start_cost(configs[i]);
    return;
  }
  int min_left = from.dp;
  for (int r : survivors) min_left = std::min(min_left, r);
  const bool grid_intact = min_left == from.dp;
  const bool lost_stage = min_left == 0;
  const bool rollback = lost_stage && m.constants().notice_s <= 0.0;
  const int kept = (m.constants().spares_in_job ? alive : from.instances()) - n_out;
  const auto& stage_ms = m.stage_transfer_ms(from.pp);
  transfer_by_pp_.assign(m.num_layers(), -1.0);
  for (const int i : targets) {
    const Config t = configs[i];
    const TargetCosts& k = targets_[i];
    if (t == from && grid_intact) { out[i] = {0.0, MigrationKind::none}; continue; }
    if (t.pp == from.pp && min_left >= t.dp) { out[i] = {k.intra, MigrationKind::intra_stage}; continue; }
    if (rollback) { out[i] = {k.rollback, MigrationKind::rollback}; continue; }
    const double restart = t.instances() > kept ? k.restart_add : k.restart_remove;
    if (t.pp == from.pp) {
      double worst = 0.0, lost = 0.0;
      for (int s = 0; s < from.pp; ++s) {
        if (survivors[s] >= t.dp) continue;
        worst = std::max(worst, stage_ms[s]);
        if (survivors[s] == 0) lost += stage_ms[s];
      }
      out[i] = {std::max(worst, lost) + restart, MigrationKind::inter_stage, restart};
      continue;
    }
    double& transfer = transfer_by_pp_[t.pp];
    if (transfer < 0.0) transfer = repartition_transfer_ms(from.pp, t.pp, survivors, from.dp);
    out[i] = {transfer + k.broadcast + restart, MigrationKind::pipeline, restart};
  }
}

MigrationCost MigrationCoster::start_cost(Config target) const {
  const CostModel& m = *model_;
  double ms = m.restart_ms(target, RestartKind::add);
  if (target.dp > 1) ms += m.max_stage_transfer_ms(target.pp);
  return {ms, MigrationKind::start};
}

MigrationCost MigrationCoster::cost(Config from, std::span<const int> survivors, int n_out,
                                    int alive, Config target) {
  const auto& configs = model_->configs();
  const auto it = std::find(configs.begin(), configs.end(), target);
  if (it == configs.end()) return {0.0, MigrationKind::none};
  std::vector<MigrationCost> all(configs.size());
  costs_to_all(from, survivors, n_out, alive, all);
  return all[it - configs.begin()];
}

const MigrationCoster::Repartition& MigrationCoster::repartition(int old_pp, int new_pp,
                                                                 int replicas) {
  const CostModel& m = *model_;
  const std::size_t layers_count = m.layers().size();
  const std::size_t max_dp = static_cast<std::size_t>(std::max(replicas, m.table().max_dp()));
  const std::size_t slot =
      ((static_cast<std::size_t>(old_pp) * layers_count + new_pp) * (max_dp + 1)) + replicas;
  if (plans_.size() < layers_count * layers_count * (max_dp + 1))
    plans_.resize(layers_count * layers_count * (max_dp + 1));
  if (plans_[slot]) return *plans_[slot];
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
  plan.replicas = replicas;
  plan.new_pp = new_pp;
  const std::vector<int> all_alive(old_pp, replicas);
  plan.missing_all_alive = greedy_missing(plan, new_pp, all_alive, &plan.used);
  plan.transfer_all_alive_ms = m.p2p_ms(plan.missing_all_alive * m.constants().bytes_per_param);
  plan.most_used = *std::max_element(plan.used.begin(), plan.used.end());
  // The choices with everyone alive, for the fast start of greedy_missing.
  std::vector<int> avail(old_pp, replicas);
  for (int t = 0; t < new_pp; ++t) {
    int pick = -1;
    for (int s : plan.preference[t])
      if (avail[s] > 0) { pick = s; --avail[s]; break; }
    plan.choice.push_back(pick);
    plan.choice_rank.push_back(pick < 0 ? -1 : static_cast<int>(std::find(plan.preference[t].begin(), plan.preference[t].end(), pick) - plan.preference[t].begin()));
    plan.choice_missing.push_back(pick < 0 ? static_cast<double>(m.stage_params(new_pp)[t])
                                           : static_cast<double>(plan.missing[t][pick]));
  }
  plans_[slot] = std::make_unique<Repartition>(std::move(plan));
  return *plans_[slot];
}

double MigrationCoster::greedy_missing(const Repartition& plan, int new_pp,
                                       std::span<const int> survivors, std::vector<int>* used) {
  const auto& new_params = model_->stage_params(new_pp);
  scratch_.assign(survivors.begin(), survivors.end());
  if (used) used->assign(survivors.size(), 0);
  using Transfer = CostConstants::RepartitionTransfer;
  const Transfer rule = model_->constants().repartition_transfer;
  // Against the greedy with every replica alive (plan.choice, once it is
  // known): the instances left here never exceed those left there, stage by
  // stage (where this greedy deviates, the all-alive one takes an instance of
  // a stage that has none here). So a new stage takes its all-alive choice
  // whenever that stage has an instance left, finds nothing when the
  // all-alive greedy found nothing, and otherwise needs to scan its
  // preferences only past its all-alive choice.
  const bool follow = plan.choice.size() == static_cast<std::size_t>(new_pp);
  double total = 0.0;
  for (int t = 0; t < new_pp; ++t) {
    double need = static_cast<double>(new_params[t]);  // no holder left: a fresh instance
    int pick = -1;
    const int first = follow ? plan.choice[t] : 0;
    if (first >= 0 && follow && scratch_[first] > 0) {
      pick = first;
      need = plan.choice_missing[t];
    } else if (first >= 0) {
      const auto& pref = plan.preference[t];
      for (std::size_t at = follow ? plan.choice_rank[t] + 1 : 0; at < pref.size(); ++at)
        if (scratch_[pref[at]] > 0) {
          pick = pref[at];
          need = static_cast<double>(plan.missing[t][pick]);
          break;
        }
    }
    if (pick >= 0) {
      --scratch_[pick];
      if (used) ++(*used)[pick];
    }
    if (rule == Transfer::sum) total += need;
    else if (rule == Transfer::max) total = std::max(total, need);
    else if (pick >= 0) total = need;  // the artifact: '=' where it meant '+=', no fresh instances
  }
  return total;
}

double MigrationCoster::repartition_transfer_ms(int old_pp, int new_pp,
                                                std::span<const int> survivors, int replicas) {
  if (static_cast<int>(stages_.size()) < old_pp) {
    stages_.resize(old_pp);
    std::iota(stages_.begin(), stages_.end(), 0);
  }
  return repartition_transfer_ms(repartition(old_pp, new_pp, replicas), survivors,
                                 std::span<const int>(stages_).first(old_pp));
}

double MigrationCoster::repartition_transfer_ms(const Repartition& plan,
                                                std::span<const int> survivors,
                                                std::span<const int> short_stages) {
  bool as_if_all_alive = true;
  for (const int s : short_stages) as_if_all_alive = as_if_all_alive && survivors[s] >= plan.used[s];
  if (as_if_all_alive) return plan.transfer_all_alive_ms;
  return model_->p2p_ms(greedy_missing(plan, plan.new_pp, survivors, nullptr) *
                        model_->constants().bytes_per_param);
}

}  // namespace parcae::liveput
