#include "parcae/liveput/transition.hpp"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>

#include "parcae/error.hpp"

namespace parcae::liveput {

double choose(int n, int k) {
  if (k < 0 || n < 0 || k > n) return 0.0;
  k = std::min(k, n - k);
  double r = 1.0;
  for (int i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}

namespace {

// Coefficients of prod over `stages` of (sum_{k=0}^{max_loss} C(D,k) x^k), up to x^limit.
std::vector<double> stage_loss_polynomial(int stages, int dp, int max_loss, int limit) {
  std::vector<double> poly(limit + 1, 0.0);
  poly[0] = 1.0;
  for (int s = 0; s < stages; ++s) {
    std::vector<double> next(limit + 1, 0.0);
    for (int j = 0; j <= limit; ++j) {
      if (poly[j] == 0.0) continue;
      for (int k = 0; k <= max_loss && j + k <= limit; ++k) next[j + k] += poly[j] * choose(dp, k);
    }
    poly.swap(next);
  }
  return poly;
}

std::uint64_t key_of(int n, Config from, int n_out, bool scaled = false) {
  return (static_cast<std::uint64_t>(scaled) << 63) | (static_cast<std::uint64_t>(n) << 48) | (static_cast<std::uint64_t>(from.dp) << 32) |
         (static_cast<std::uint64_t>(from.pp) << 16) | static_cast<std::uint64_t>(n_out);
}

// Loss vectors (k_0..k_{P-1}), 0 <= k_s <= D, with sum exactly j.
double count_loss_vectors(Config from, int j) {
  std::vector<double> count(j + 1, 0.0);
  count[0] = 1.0;
  for (int s = 0; s < from.pp; ++s) {
    std::vector<double> next(j + 1, 0.0);
    for (int a = 0; a <= j; ++a)
      for (int k = 0; k <= from.dp && a + k <= j; ++k) next[a + k] += count[a];
    count.swap(next);
  }
  return count[j];
}

// Per target: 0 when every source (configurations, then not training)
// considers it, else the depth of its sources when exactly the configurations
// of one depth do. Anything else is a target set the DP cannot visit by depth.
std::vector<int> source_depths(const std::vector<Config>& configs,
                               const std::vector<std::vector<char>>& member) {
  std::vector<int> depth(configs.size(), 0);
  for (std::size_t t = 0; t < configs.size(); ++t) {
    bool all = true, same_depth_only = true;
    for (std::size_t f = 0; f < member.size(); ++f) {
      const bool considered = member[f][t] != 0;
      const bool same = f < configs.size() && configs[f].pp == configs[t].pp;
      all = all && considered;
      same_depth_only = same_depth_only && considered == same;
    }
    if (all) continue;
    if (!same_depth_only) throw std::logic_error("scaled targets: a target neither global nor of one depth");
    depth[t] = configs[t].pp;
  }
  return depth;
}

}  // namespace

double probability_all_stages_keep(int n, Config from, int n_out, int keep) {
  const int spares = n - from.instances();
  if (spares < 0) throw InputError("configuration needs more instances than are alive");
  if (n_out < 0 || n_out > n) return 0.0;
  if (keep > from.dp) return 0.0;
  const auto poly = stage_loss_polynomial(from.pp, from.dp, from.dp - keep, n_out);
  double ways = 0.0;
  for (int j = 0; j <= n_out; ++j) ways += poly[j] * choose(spares, n_out - j);
  return ways / choose(n, n_out);
}

TransitionTable::TransitionTable(const CostModel& model, TransitionOptions options)
    : model_(&model), options_(options), coster_(model) {
  for (Config c : model.configs()) stride_ = std::max(stride_, c.pp + 1);
  int max_dp = 0;
  for (Config c : model.configs()) max_dp = std::max(max_dp, c.dp);
  index_.assign(static_cast<std::size_t>(max_dp + 1) * stride_, -1);
  for (std::size_t i = 0; i < model.configs().size(); ++i) {
    const Config c = model.configs()[i];
    index_[static_cast<std::size_t>(c.dp) * stride_ + c.pp] = static_cast<int>(i);
  }
  for (Config c : model.configs()) throughput_.push_back(model.samples_per_s(c));
  all_targets_.resize(model.configs().size());
  std::iota(all_targets_.begin(), all_targets_.end(), 0);
  if (options_.targets != TargetSet::exact) {
    scaled_targets_ = scaled_targets(model, options_.scaled_slack);
    for (const auto& list : scaled_targets_) {
      scaled_member_.emplace_back(model.configs().size(), 0);
      for (int t : list) scaled_member_.back()[t] = 1;
    }
    source_depth_ = source_depths(model.configs(), scaled_member_);
    // Slots: the global targets, then per depth its column.
    slot_.assign(model.configs().size(), -1);
    int next = 0;
    for (std::size_t t = 0; t < slot_.size(); ++t)
      if (source_depth_[t] == 0) slot_[t] = next++;
    const int global = next;
    std::vector<int> column(stride_, 0);
    for (std::size_t t = 0; t < slot_.size(); ++t)
      if (source_depth_[t] > 0) slot_[t] = global + column[source_depth_[t]]++;
  }
}

bool TransitionTable::scaled_for(int n_target) const {
  if (options_.targets == TargetSet::exact) return false;
  return options_.targets == TargetSet::scaled || n_target > options_.exact_up_to;
}

std::span<const int> TransitionTable::targets(int from_index, bool scaled) const {
  if (!scaled || scaled_targets_.empty()) return all_targets_;
  return scaled_targets_[from_index < 0 ? scaled_targets_.size() - 1 : from_index];
}

bool TransitionTable::considers(int from_index, int target, bool scaled) const {
  if (!scaled || scaled_member_.empty()) return true;
  return scaled_member_[from_index < 0 ? scaled_member_.size() - 1 : from_index][target] != 0;
}

int TransitionTable::index_of(Config c) const {
  if (c.dp < 0 || c.pp < 0 || c.pp >= stride_) return -1;
  const std::size_t at = static_cast<std::size_t>(c.dp) * stride_ + c.pp;
  return at < index_.size() ? index_[at] : -1;
}

const TransitionEntry& TransitionTable::entry(int n, Config from, int n_out, bool scaled) {
  n_out = std::clamp(n_out, 0, n);
  scaled = scaled && !scaled_targets_.empty();
  const std::uint64_t key = key_of(n, from, n_out, scaled);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  return cache_.emplace(key, compute(n, from, n_out, scaled)).first->second;
}

void TransitionTable::add_outcome(Stratum& st, Config from, std::span<const int> survivors,
                                  int n_out, double weight, std::span<const int> targets) {
  scratch_.resize(model_->configs().size());
  coster_.costs_to(from, survivors, n_out, from.instances(), targets, scratch_);
  for (const int i : targets) {
    const MigrationCost& c = scratch_[i];
    TransitionCost& t = st.by_target[i].cost;
    t.expected_ms += weight * (c.ms - c.restart_ms);
    if (c.restart_ms > 0.0) st.by_target[i].restart_probability += weight;
    if (c.kind != MigrationKind::rollback) t.probability += weight;
    if (c.kind == MigrationKind::none || c.kind == MigrationKind::intra_stage)
      t.intra_probability += weight;
  }
  ++st.outcomes;
}

const TransitionTable::Stratum& TransitionTable::stratum(Config from, int n_out, int j,
                                                        bool scaled) {
  // A summary summed exactly does not depend on n_out; drawn ones are seeded by it.
  const bool shared = scaled && count_loss_vectors(from, j) <= options_.exact_limit;
  const std::uint64_t key = key_of(j, from, shared ? 0 : n_out, scaled);
  auto it = strata_.find(key);
  if (it != strata_.end()) return it->second;
  return strata_.emplace(key, compute_stratum(from, n_out, j, scaled)).first->second;
}

template <class Add>
bool TransitionTable::for_each_outcome(Config from, int n_out, int j, Add&& add) {
  std::vector<int> survivors(from.pp, from.dp);
  const int grid = from.instances();
  if (count_loss_vectors(from, j) <= options_.exact_limit) {
    // Depth-first over stages; a loss vector weighs prod C(D, k_s) / C(D*P, j).
    const double total = choose(grid, j);
    auto visit = [&](auto&& self, int stage, int left, double weight) -> void {
      if (stage == from.pp) {
        if (left == 0) add(std::span<const int>(survivors), weight / total);
        return;
      }
      if (left > (from.pp - stage) * from.dp) return;
      for (int k = 0; k <= from.dp && k <= left; ++k) {
        survivors[stage] = from.dp - k;
        self(self, stage + 1, left - k, weight * choose(from.dp, k));
      }
      survivors[stage] = from.dp;
    };
    visit(visit, 0, j, 1.0);
    return true;
  }
  std::mt19937_64 rng(key_of(j, from, n_out) * 0x9E3779B97F4A7C15ULL + 1);
  std::vector<int> ids(grid);
  const double w = 1.0 / options_.samples;
  for (int draw = 0; draw < options_.samples; ++draw) {
    std::iota(ids.begin(), ids.end(), 0);
    std::fill(survivors.begin(), survivors.end(), from.dp);
    for (int a = 0; a < j; ++a) {  // partial Fisher-Yates: j distinct grid instances
      std::uniform_int_distribution<int> pick(a, grid - 1);
      std::swap(ids[a], ids[pick(rng)]);
      --survivors[ids[a] % from.pp];
    }
    add(std::span<const int>(survivors), w);
  }
  return false;
}

TransitionTable::Stratum TransitionTable::compute_stratum(Config from, int n_out, int j,
                                                          bool scaled) {
  const std::span<const int> targets = this->targets(index_of(from), scaled);
  Stratum st;
  if (scaled) {
    StratumSummary summary(coster_, from, targets);
    st.exact = for_each_outcome(from, n_out, j, [&](std::span<const int> survivors, double w) {
      summary.add(coster_, survivors, w);
    });
    summary.finish();
    st.outcomes = summary.outcomes();
    st.summary.push_back(std::move(summary));
    return st;
  }
  st.by_target.resize(model_->configs().size());
  st.exact = for_each_outcome(from, n_out, j, [&](std::span<const int> survivors, double w) {
    add_outcome(st, from, survivors, n_out, w, targets);
  });
  return st;
}

TransitionTable::StratumCost TransitionTable::stratum_cost(const Stratum& st, int target) const {
  if (st.summary.empty()) return st.by_target[target];
  const StratumSummary::Cost c = st.summary.front().cost(coster_, target);
  StratumCost out;
  out.cost.expected_ms = c.expected_ms;
  out.cost.probability = c.probability;
  out.restart_probability = c.restart_probability;
  return out;
}

TransitionEntry TransitionTable::compute(int n, Config from, int n_out, bool scaled) {
  n_out = std::clamp(n_out, 0, n);
  scaled = scaled && !scaled_targets_.empty();
  if (from.instances() > n) throw InputError("transition from a configuration larger than N");
  const auto& configs = model_->configs();
  TransitionEntry e;
  e.by_target.resize(configs.size());
  const std::span<const int> considered = targets(index_of(from), scaled);
  auto with_row = [&]() -> TransitionEntry {
    for (const int i : considered) {
      const std::size_t at = static_cast<std::size_t>(slot(i, scaled));
      if (e.expected_ms_by_slot.size() <= at) e.expected_ms_by_slot.resize(at + 1, 0.0);
      e.expected_ms_by_slot[at] = e.by_target[i].expected_ms;
    }
    return std::move(e);
  };
  if (!from.training()) {
    for (const int i : considered) e.by_target[i] = {1.0, 0.0, coster_.start_cost(configs[i]).ms};
    e.outcomes = 1;
    return with_row();
  }
  const int grid = from.instances(), spares = n - grid;
  const double total = choose(n, n_out);
  for (int j = std::max(0, n_out - spares); j <= std::min(n_out, grid); ++j) {
    const double p = choose(grid, j) * choose(spares, n_out - j) / total;
    if (p <= 0.0) continue;
    const Stratum& st = stratum(from, n_out, j, scaled);
    e.exact = e.exact && st.exact;
    e.outcomes += st.outcomes;
    for (const int i : considered) {
      const StratumCost sc = stratum_cost(st, i);
      double restart = 0.0;
      if (sc.restart_probability > 0.0)
        restart = sc.restart_probability *
                  coster_.restart_ms(i, coster_.restart_kind(from, n_out, n, configs[i]));
      e.by_target[i].expected_ms += p * (sc.cost.expected_ms + restart);
      e.by_target[i].probability += p * sc.cost.probability;
    }
  }
  // The intra-stage probability has a closed form.
  for (const int i : considered) {
    const Config t = configs[i];
    if (t.pp == from.pp) e.by_target[i].intra_probability = probability_all_stages_keep(n, from, n_out, t.dp);
  }
  return with_row();
}

}  // namespace parcae::liveput
