#include "parcae/liveput/decision.hpp"

namespace parcae::liveput {

double expected_migration_ms(TransitionTable& table, const JobState& state, const Interval& now,
                             Config target) {
  const CostModel& m = table.model();
  if (!target.training()) return 0.0;
  if (!state.config.training())
    return state.stopped ? m.rollback_ms(target) : table.coster().start_cost(target).ms;
  const int t = table.index_of(target);
  return table.entry(state.n, state.config, now.n_out).by_target[t].expected_ms;
}

Config best_for_interval(TransitionTable& table, const JobState& state, const Interval& now) {
  const CostModel& m = table.model();
  Config best{};
  double best_samples = -1.0;
  for (Config c : m.configs()) {
    if (c.instances() > now.n) continue;
    const IntervalOutcome o =
        account_interval(m.constants().interval_ms(), state.pending_ms,
                         expected_migration_ms(table, state, now, c),
                         m.restart_ms(c, RestartKind::remove));
    const double samples = m.samples_per_s(c) * o.train_s;
    if (samples > best_samples) best = c, best_samples = samples;
  }
  return best;
}

Config decide(TransitionTable& table, const JobState& state, const Interval& now,
              std::span<const Interval> future) {
  const Config planned = plan(table, {state.n, state.config, state.pending_ms}, future).next;
  if (planned.training() && planned.instances() <= now.n) return planned;
  return best_for_interval(table, state, now);
}

}  // namespace parcae::liveput
