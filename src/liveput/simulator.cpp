// The liveput policies (parcae, parcae-oracle) replayed over a series.
#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

#include "parcae/liveput/decision.hpp"
#include "parcae/liveput/simulator.hpp"

namespace parcae::liveput {

std::vector<Interval> OracleForecaster::forecast(const trace::Series& series, int next, int end,
                                                 int horizon) const {
  const int stop = std::min({next + horizon, end, static_cast<int>(series.intervals.size())});
  if (next >= stop) return {};
  return {series.intervals.begin() + next, series.intervals.begin() + stop};
}

namespace {

double sampled_cost(TransitionTable& table, const JobState& run, const Interval& ev, Config target,
                    std::mt19937_64& rng) {
  const Config from = run.config;
  std::vector<int> ids(run.n);
  std::iota(ids.begin(), ids.end(), 0);
  std::vector<int> survivors(from.pp, from.dp);
  const int n_out = std::min(ev.n_out, run.n);
  for (int j = 0; j < n_out; ++j) {
    std::uniform_int_distribution<int> pick(j, run.n - 1);
    std::swap(ids[j], ids[pick(rng)]);
    if (ids[j] < from.instances()) --survivors[ids[j] % from.pp];
  }
  return table.coster().cost(from, survivors, n_out, run.n, target).ms;
}

// The cost charged when the event is applied: expected (as the artifact), or drawn.
double migration_ms(TransitionTable& table, const JobState& run, const Interval& ev, Config target,
                    const SimulationOptions& options, std::mt19937_64& rng) {
  if (options.sample_seed && run.config.training()) return sampled_cost(table, run, ev, target, rng);
  return expected_migration_ms(table, run, ev, target);
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
  JobState run{first.n - first.n_in + first.n_out, {}, 0.0, false};
  std::optional<CheckpointLedger> ledger;
  if (options.checkpoints) ledger.emplace(*options.checkpoints);
  for (int i = span.begin; i < span.end; ++i) {
    const Interval& ev = series.intervals[i];
    const auto t0 = clock::now();
    const auto future = forecaster.forecast(series, i, span.end, options.look_ahead);
    const Config target = decide(table, run, ev, future);
    r.decision_ms += std::chrono::duration<double, std::milli>(clock::now() - t0).count();
    // The preempted ranks' state is gone before anything moves (expected, as
    // the migration cost is): what the newest checkpoint lacks is redone.
    const double lost = ledger ? ledger->lose(rollback_probability(
                                     run.n, run.config, std::min(ev.n_out, run.n),
                                     m.constants().notice_s))
                               : 0.0;

    if (!target.training()) {
      ++r.idle_intervals;
      if (run.config.training()) run.stopped = true;
      run = {ev.n, target, 0.0, run.stopped};
      r.samples -= lost;
      r.timeline.push_back({target, -lost, r.samples, 0.0});
      continue;
    }
    const double cost = migration_ms(table, run, ev, target, options, rng);
    if (cost > 0.0) ++r.reconfigurations;
    if (cost > 0.0 && ledger && options.checkpoints->on_change && run.config.training())
      ledger->changed();
    if (!run.config.training() && run.stopped) ++r.rollbacks;
    const IntervalOutcome o = account_interval(m.constants().interval_ms(), run.pending_ms, cost,
                                               m.restart_ms(target, RestartKind::remove));
    const double rate = m.samples_per_s(target);
    const double samples =
        (ledger ? ledger->train(rate, o.train_s, m.constants().interval_s) : rate * o.train_s) -
        lost;
    r.samples += samples;
    r.overhead_s += o.busy_ms / 1000.0;
    r.timeline.push_back({target, samples, r.samples, o.busy_ms});
    run = {ev.n, target, o.pending_ms, false};
  }
  return r;
}

}  // namespace parcae::liveput
