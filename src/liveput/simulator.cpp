// The liveput policies (parcae, parcae-oracle) replayed over a series.
#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

#include "parcae/liveput/simulator.hpp"

namespace parcae::liveput {

std::vector<Interval> OracleForecaster::forecast(const trace::Series& series, int next, int end,
                                                 int horizon) const {
  const int stop = std::min({next + horizon, end, static_cast<int>(series.intervals.size())});
  if (next >= stop) return {};
  return {series.intervals.begin() + next, series.intervals.begin() + stop};
}

namespace {

struct Running {
  Config config;
  double pending_ms = 0.0;
  bool stopped = false;  // was training and had to stop: resuming is a rollback
  int n_before = 0;
};

// When the plan does not fit what really happened: the configuration that
// trains most in this interval, given the real event.
Config fallback(TransitionTable& table, const Running& run, const Interval& ev) {
  const CostModel& m = table.model();
  const auto& configs = m.configs();
  const TransitionEntry& e = table.entry(run.n_before, run.config, ev.n_out);
  Config best{};
  double best_samples = -1.0;
  for (std::size_t t = 0; t < configs.size(); ++t) {
    if (configs[t].instances() > ev.n) continue;
    const IntervalOutcome o = account_interval(m.constants().interval_ms(), run.pending_ms,
                                               e.by_target[t].expected_ms,
                                               m.restart_ms(configs[t], RestartKind::remove));
    const double samples = m.samples_per_s(configs[t]) * o.train_s;
    if (samples > best_samples) best = configs[t], best_samples = samples;
  }
  return best;
}

double sampled_cost(TransitionTable& table, const Running& run, const Interval& ev, Config target,
                    std::mt19937_64& rng) {
  const Config from = run.config;
  std::vector<int> ids(run.n_before);
  std::iota(ids.begin(), ids.end(), 0);
  std::vector<int> survivors(from.pp, from.dp);
  const int n_out = std::min(ev.n_out, run.n_before);
  for (int j = 0; j < n_out; ++j) {
    std::uniform_int_distribution<int> pick(j, run.n_before - 1);
    std::swap(ids[j], ids[pick(rng)]);
    if (ids[j] < from.instances()) --survivors[ids[j] % from.pp];
  }
  return table.coster().cost(from, survivors, n_out, run.n_before, target).ms;
}

double migration_ms(TransitionTable& table, const Running& run, const Interval& ev, Config target,
                    const SimulationOptions& options, std::mt19937_64& rng) {
  const CostModel& m = table.model();
  if (!run.config.training())
    return run.stopped ? m.rollback_ms(target) : table.coster().start_cost(target).ms;
  if (options.sample_seed) return sampled_cost(table, run, ev, target, rng);
  return table.entry(run.n_before, run.config, ev.n_out).by_target[table.index_of(target)].expected_ms;
}

}  // namespace

PolicyResult simulate_liveput(TransitionTable& table, const trace::Series& series, Span span,
                              const Forecaster& forecaster, const SimulationOptions& options,
                              const std::string& name) {
  using clock = std::chrono::steady_clock;
  const CostModel& m = table.model();
  PolicyResult r;
  r.policy = name;
  std::mt19937_64 rng(options.sample_seed.value_or(0));
  const Interval& first = series.intervals.at(span.begin);
  Running run{{}, 0.0, false, first.n - first.n_in + first.n_out};
  for (int i = span.begin; i < span.end; ++i) {
    const Interval& ev = series.intervals[i];
    const auto t0 = clock::now();
    const auto future = forecaster.forecast(series, i, span.end, options.look_ahead);
    Config target = plan(table, {run.n_before, run.config, run.pending_ms}, future).next;
    r.decision_ms += std::chrono::duration<double, std::milli>(clock::now() - t0).count();
    if (target.instances() > ev.n || !target.training()) target = fallback(table, run, ev);

    if (!target.training()) {
      ++r.idle_intervals;
      if (run.config.training()) run.stopped = true;
      run = {target, 0.0, run.stopped, ev.n};
      r.timeline.push_back({target, 0.0, r.samples, 0.0});
      continue;
    }
    const double cost = migration_ms(table, run, ev, target, options, rng);
    if (cost > 0.0) ++r.reconfigurations;
    if (!run.config.training() && run.stopped) ++r.rollbacks;
    const IntervalOutcome o = account_interval(m.constants().interval_ms(), run.pending_ms, cost,
                                               m.restart_ms(target, RestartKind::remove));
    const double samples = m.samples_per_s(target) * o.train_s;
    r.samples += samples;
    r.overhead_s += o.busy_ms / 1000.0;
    r.timeline.push_back({target, samples, r.samples, o.busy_ms});
    run = {target, o.pending_ms, false, ev.n};
  }
  return r;
}

}  // namespace parcae::liveput
