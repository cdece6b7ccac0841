#include "parcae/liveput/transition.hpp"

#include <algorithm>
#include <numeric>
#include <random>

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

std::uint64_t key_of(int n, Config from, int n_out) {
  return (static_cast<std::uint64_t>(n) << 48) | (static_cast<std::uint64_t>(from.dp) << 32) |
         (static_cast<std::uint64_t>(from.pp) << 16) | static_cast<std::uint64_t>(n_out);
}

// Loss vectors with sum j for j <= n_out (count of vectors, not weighted).
long count_loss_vectors(Config from, int n_out, int spares) {
  std::vector<double> count(n_out + 1, 0.0);
  count[0] = 1.0;
  for (int s = 0; s < from.pp; ++s) {
    std::vector<double> next(n_out + 1, 0.0);
    for (int j = 0; j <= n_out; ++j)
      for (int k = 0; k <= from.dp && j + k <= n_out; ++k) next[j + k] += count[j];
    count.swap(next);
  }
  double total = 0.0;
  for (int j = std::max(0, n_out - spares); j <= n_out; ++j) total += count[j];
  return total > 1e15 ? static_cast<long>(1e15) : static_cast<long>(total);
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
}

int TransitionTable::index_of(Config c) const {
  if (c.dp < 0 || c.pp < 0 || c.pp >= stride_) return -1;
  const std::size_t at = static_cast<std::size_t>(c.dp) * stride_ + c.pp;
  return at < index_.size() ? index_[at] : -1;
}

const TransitionEntry& TransitionTable::entry(int n, Config from, int n_out) {
  n_out = std::clamp(n_out, 0, n);
  const std::uint64_t key = key_of(n, from, n_out);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  return cache_.emplace(key, compute(n, from, n_out)).first->second;
}

void TransitionTable::add_outcome(TransitionEntry& e, Config from, std::span<const int> survivors,
                                  int n_out, double weight) {
  const auto& configs = model_->configs();
  for (std::size_t i = 0; i < configs.size(); ++i) {
    const MigrationCost c = coster_.cost(from, survivors, n_out, configs[i]);
    TransitionCost& t = e.by_target[i];
    t.expected_ms += weight * c.ms;
    if (c.kind != MigrationKind::rollback) t.probability += weight;
    if (c.kind == MigrationKind::none || c.kind == MigrationKind::intra_stage)
      t.intra_probability += weight;
  }
}

TransitionEntry TransitionTable::compute(int n, Config from, int n_out) {
  n_out = std::clamp(n_out, 0, n);
  if (from.instances() > n) throw InputError("transition from a configuration larger than N");
  TransitionEntry e;
  e.by_target.resize(model_->configs().size());
  if (!from.training()) {
    for (std::size_t i = 0; i < model_->configs().size(); ++i) {
      e.by_target[i] = {1.0, 0.0, coster_.start_cost(model_->configs()[i]).ms};
    }
    e.outcomes = 1;
    return e;
  }
  const int spares = n - from.instances();
  const long vectors = count_loss_vectors(from, n_out, spares);
  std::vector<int> survivors(from.pp, from.dp);
  if (vectors <= options_.exact_limit) {
    // Depth-first over stages; weight = prod C(D, k_s), closed by the spares' C(S, rest).
    const double total = choose(n, n_out);
    auto visit = [&](auto&& self, int stage, int used, double weight) -> void {
      if (stage == from.pp) {
        const double w = weight * choose(spares, n_out - used);
        if (w > 0.0) add_outcome(e, from, survivors, n_out, w / total), ++e.outcomes;
        return;
      }
      for (int k = 0; k <= from.dp && used + k <= n_out; ++k) {
        survivors[stage] = from.dp - k;
        self(self, stage + 1, used + k, weight * choose(from.dp, k));
      }
      survivors[stage] = from.dp;
    };
    visit(visit, 0, 0, 1.0);
  } else {
    e.exact = false;
    std::mt19937_64 rng(key_of(n, from, n_out) * 0x9E3779B97F4A7C15ULL + 1);
    std::vector<int> ids(n);
    const double w = 1.0 / options_.samples;
    for (int draw = 0; draw < options_.samples; ++draw) {
      std::iota(ids.begin(), ids.end(), 0);
      std::fill(survivors.begin(), survivors.end(), from.dp);
      for (int j = 0; j < n_out; ++j) {  // partial Fisher-Yates: n_out distinct instances
        std::uniform_int_distribution<int> pick(j, n - 1);
        std::swap(ids[j], ids[pick(rng)]);
        if (ids[j] < from.instances()) --survivors[ids[j] % from.pp];
      }
      add_outcome(e, from, survivors, n_out, w);
    }
    e.outcomes = options_.samples;
  }
  // The intra-stage probability has a closed form: replace the summed value.
  for (std::size_t i = 0; i < model_->configs().size(); ++i) {
    const Config t = model_->configs()[i];
    if (t.pp != from.pp) continue;
    e.by_target[i].intra_probability = probability_all_stages_keep(n, from, n_out, t.dp);
  }
  return e;
}

}  // namespace parcae::liveput
