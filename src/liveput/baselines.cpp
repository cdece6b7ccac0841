// The baselines of the paper's evaluation: ideal, reactive
// (checkpoint-restart, à la Varuna) and redundant computation (à la Bamboo).
#include <algorithm>
#include <numeric>
#include <random>

#include "parcae/liveput/simulator.hpp"

namespace parcae::liveput {
namespace {

// Instances alive just before the span's first interval.
int alive_before(const trace::Series& series, Span span) {
  const Interval& first = series.intervals.at(span.begin);
  return first.n - first.n_in + first.n_out;
}

void record(PolicyResult& r, Config c, double samples, double busy_ms) {
  r.samples += samples;
  r.overhead_s += busy_ms / 1000.0;
  r.timeline.push_back({c, samples, r.samples, busy_ms});
}

}  // namespace

PolicyResult simulate_ideal(const CostModel& model, const trace::Series& series, Span span) {
  PolicyResult r;
  r.policy = "ideal";
  for (int i = span.begin; i < span.end; ++i) {
    const Config best = model.best_config(series.intervals[i].n);
    if (!best.training()) ++r.idle_intervals;
    record(r, best, model.constants().interval_s * model.samples_per_s(best), 0.0);
  }
  return r;
}

PolicyResult simulate_reactive(const CostModel& model, const trace::Series& series, Span span,
                               const std::optional<CheckpointCadence>& checkpoints) {
  PolicyResult r;
  r.policy = "reactive";
  double pending = 0.0;
  std::optional<CheckpointLedger> ledger;
  if (checkpoints) ledger.emplace(*checkpoints);
  Config running{};
  for (int i = span.begin; i < span.end; ++i) {
    const Interval& ev = series.intervals[i];
    const bool first = i == span.begin;
    const Config best = model.best_config(ev.n);
    const int before = ev.n - ev.n_in + ev.n_out;
    const int out = std::min(ev.n_out, before);
    const double lost =
        ledger ? ledger->lose(rollback_probability(before, running, out,
                                                   model.constants().notice_s))
               : 0.0;
    // The real baseline saves on a change that moves state: a new
    // configuration, or a spare taking a preempted rank's place.
    const double change =
        best == running ? active_loss_probability(before, running, out) : 1.0;
    running = best;
    double cost = 0.0, concurrent = 0.0;
    if (best.training() && (first || ev.n_in + ev.n_out > 0)) {
      // profiles/README.md: type 'add' when the interval added instances (and on interval 0).
      const RestartKind kind = (first || ev.n_in > 0) ? RestartKind::add : RestartKind::remove;
      cost = model.checkpoint_restart_ms(best, kind, first);
      concurrent = model.restart_ms(best, kind);
      ++r.reconfigurations;
      if (ledger && !first) ledger->changed(change);
    }
    if (!best.training()) {
      ++r.idle_intervals;
      pending = 0.0;
      record(r, best, -lost, 0.0);
      continue;
    }
    const IntervalOutcome o =
        account_interval(model.constants().interval_ms(), pending, cost, concurrent);
    pending = o.pending_ms;
    const double rate = model.samples_per_s(best);
    const double trained =
        ledger ? ledger->train(rate, o.train_s, model.constants().interval_s) : rate * o.train_s;
    record(r, best, trained - lost, o.busy_ms);
  }
  return r;
}

double bamboo_survival_probability(int n, Config c, int n_out) {
  if (n_out <= 0) return 1.0;
  if (!c.training() || n_out > n) return 0.0;
  // Ways to pick j of a ring of P stages with no two neighbours: P/(P-j) C(P-j, j).
  auto ring = [&](int j) -> double {
    if (j == 0) return 1.0;
    if (c.pp == 1 || j >= c.pp) return 0.0;
    if (c.pp == 2) return j == 1 ? 2.0 : 0.0;
    return static_cast<double>(c.pp) / (c.pp - j) * choose(c.pp - j, j);
  };
  std::vector<double> poly(n_out + 1, 0.0);
  poly[0] = 1.0;
  for (int d = 0; d < c.dp; ++d) {
    std::vector<double> next(n_out + 1, 0.0);
    for (int a = 0; a <= n_out; ++a)
      for (int j = 0; a + j <= n_out; ++j) next[a + j] += poly[a] * ring(j);
    poly.swap(next);
  }
  double ways = 0.0;
  for (int j = 0; j <= n_out; ++j) ways += poly[j] * choose(n - c.instances(), n_out - j);
  return ways / choose(n, n_out);
}

namespace {

// One draw: do two ring-neighbouring stages of one pipeline both go?
bool bamboo_draw_survives(int n, Config c, int n_out, std::mt19937_64& rng) {
  std::vector<int> ids(n);
  std::iota(ids.begin(), ids.end(), 0);
  std::shuffle(ids.begin(), ids.end(), rng);
  std::vector<char> gone(c.instances(), 0);
  for (int j = 0; j < n_out; ++j)
    if (ids[j] < c.instances()) gone[ids[j]] = 1;
  for (int k = 0; k < c.instances(); ++k) {
    const int replica = k / c.pp, stage = k % c.pp;
    const int neighbour = replica * c.pp + (stage + 1) % c.pp;
    if (gone[k] && (c.pp == 1 || gone[neighbour])) return false;
  }
  return true;
}

}  // namespace

PolicyResult simulate_bamboo(const CostModel& model, const trace::Series& series, Span span,
                             const SimulationOptions& options) {
  PolicyResult r;
  r.policy = "bamboo";
  std::mt19937_64 rng(options.sample_seed.value_or(0));
  double pending = 0.0;
  int n_before = alive_before(series, span);
  Config current{};
  for (int i = span.begin; i < span.end; ++i) {
    const Interval& ev = series.intervals[i];
    const Config best = model.best_config(ev.n);
    if (!best.training()) {
      ++r.idle_intervals;
      pending = 0.0;
      current = best;
      n_before = ev.n;
      record(r, best, 0.0, 0.0);
      continue;
    }
    double cost = 0.0;
    if (!current.training()) {
      cost = model.checkpoint_restart_ms(best, RestartKind::add, i == span.begin);
    } else if (ev.n_in + ev.n_out > 0) {
      const double failed = model.checkpoint_restart_ms(best, RestartKind::add, false);
      const double survived = ev.n_in > 0 ? model.restart_ms(best, RestartKind::add)
                                          : model.intra_stage_ms(best);
      double p = bamboo_survival_probability(n_before, current, ev.n_out);
      if (options.sample_seed) {
        p = bamboo_draw_survives(n_before, current, ev.n_out, rng) ? 1.0 : 0.0;
        if (p == 0.0) ++r.rollbacks;
      }
      cost = p * survived + (1.0 - p) * failed;
    }
    if (cost > 0.0) ++r.reconfigurations;
    const IntervalOutcome o = account_interval(model.constants().interval_ms(), pending, cost,
                                               model.restart_ms(best, RestartKind::add));
    pending = o.pending_ms;
    record(r, best, model.samples_per_s(best) * (1.0 - options.bamboo_overhead) * o.train_s,
           o.busy_ms);
    current = best;
    n_before = ev.n;
  }
  return r;
}

}  // namespace parcae::liveput
