#include "parcae/liveput/optimizer.hpp"

#include <algorithm>
#include <optional>

#include "parcae/liveput/remaining_bound.hpp"

namespace parcae::liveput {

IntervalOutcome account_interval(double interval_ms, double pending_ms, double migration_ms,
                                 double concurrent_restart_ms) {
  double total = pending_ms;
  if (migration_ms > 0.0) total = pending_ms > 0.0 ? migration_ms + concurrent_restart_ms : migration_ms;
  const double work_ms = interval_ms - total;
  return {std::max(0.0, work_ms) / 1000.0, std::max(0.0, -work_ms), std::min(total, interval_ms)};
}

namespace {

struct Label {
  double samples = 0.0;
  double pending_ms = 0.0;
  int parent = -1;  // label index in the previous step
  int config = -1;  // config index, -1 = not training
};

// Labels of one step, grouped by configuration, Pareto-pruned. Of two equal
// labels the one with the lower parent stays, and each front is kept in parent
// order, so the result does not depend on the order labels are offered in.
class Step {
 public:
  explicit Step(std::size_t configs) : fronts_(configs + 1) {}
  // Whether `l` was stored.
  bool offer(const Label& l) {
    auto& front = fronts_[l.config + 1];
    for (const Label& o : front)
      if (o.samples >= l.samples && o.pending_ms <= l.pending_ms &&
          !(o.samples == l.samples && o.pending_ms == l.pending_ms && l.parent < o.parent))
        return false;
    std::erase_if(front, [&](const Label& o) {
      return l.samples >= o.samples && l.pending_ms <= o.pending_ms;
    });
    front.push_back(l);
    return true;
  }
  std::vector<Label> flatten() {
    std::vector<Label> all;
    for (auto& f : fronts_) {
      std::sort(f.begin(), f.end(), [](const Label& a, const Label& b) { return a.parent < b.parent; });
      all.insert(all.end(), f.begin(), f.end());
    }
    return all;
  }

 private:
  std::vector<std::vector<Label>> fronts_;
};

Config config_at(const TransitionTable& table, int index) {
  return index < 0 ? Config{} : table.model().configs()[index];
}

// Expands every label of `from` over one forecast interval.
// Labels below `floor` (per configuration, index + 1; 0 = not training)
// cannot reach the best value: they are not expanded. Labels that land below
// `next_floor` would be dropped at the next step: they are not stored (the
// same bound, applied one step earlier).
//
// Labels are visited by samples descending, and for each target its moves in
// that order: a move whose label's samples plus a whole interval at the
// target's throughput fall below a stored label of that target with nothing
// pending (or below next_floor) can only make a dominated label, so neither it
// nor any later move to that target is looked at, and a label's transition
// entry is computed only when one of its moves is. Exact: the fronts are those
// of offering every move (a front sees its moves in label order whichever
// target comes first within a label). The loop runs label by label over the
// targets still open, so each entry's costs are read in a row (target by
// target over all labels, every read was a cache miss).
std::vector<Label> expand(TransitionTable& table, const std::vector<Label>& from, int n_before,
                          const Interval& event, std::optional<int> forced_target,
                          std::span<const double> floor, std::span<const double> next_floor) {
  const CostModel& m = table.model();
  const auto& configs = m.configs();
  const std::vector<double>& throughput = table.throughput();
  const double interval_ms = m.constants().interval_ms();
  const double interval_s = interval_ms / 1000.0;  // train_s never exceeds it
  const bool scaled = table.scaled_for(event.n);
  Step step(configs.size());
  // The labels that can move (their configuration fits before the interval), best first.
  std::vector<int> movers;
  for (std::size_t li = 0; li < from.size(); ++li) {
    const Label& l = from[li];
    if (l.samples < floor[l.config + 1]) continue;
    if (config_at(table, l.config).instances() <= n_before) movers.push_back(static_cast<int>(li));
  }
  std::stable_sort(movers.begin(), movers.end(),
                   [&](int a, int b) { return from[a].samples > from[b].samples; });
  // The targets that can still gain (fit the interval, not stopped): those
  // every label considers, and per depth the column only its labels consider;
  // per target its whole-interval gain, its restart, and the most samples of
  // a stored label of it with nothing pending.
  std::vector<int> open_global;
  std::vector<std::vector<int>> open_by_depth(m.num_layers() + 1);
  std::vector<double> full_gain(configs.size()), restart(configs.size()), best_idle(configs.size(), -1.0);
  for (std::size_t t = 0; t < configs.size(); ++t) {
    if (configs[t].instances() > event.n) continue;
    if (forced_target && *forced_target != static_cast<int>(t)) continue;
    const int depth = table.considered_from_depth(static_cast<int>(t), scaled);
    (depth > 0 ? open_by_depth[depth] : open_global).push_back(static_cast<int>(t));
    full_gain[t] = throughput[t] * interval_s;
    restart[t] = table.coster().restart_ms(t, RestartKind::remove);
  }
  for (const int li : movers) {
    const Label& l = from[li];
    const Config c = config_at(table, l.config);
    const TransitionEntry* entry = nullptr;
    // Moves to the open targets of `open`; a target whose bound falls below
    // a stored label is closed for every later (poorer) label.
    auto visit = [&](std::vector<int>& open) {
      for (std::size_t at = 0; at < open.size();) {
        const int t = open[at];
        const double most = l.samples + full_gain[t];
        if (most < next_floor[t + 1] || most < best_idle[t]) {
          open[at] = open.back(), open.pop_back();
          continue;
        }
        ++at;
        if (!entry) entry = &table.entry(n_before, c, event.n_out, scaled);
        const double cost = entry->expected_ms_by_slot[table.slot(t, scaled)];
        const IntervalOutcome o = account_interval(interval_ms, l.pending_ms, cost, restart[t]);
        const double samples = l.samples + throughput[t] * o.train_s;
        if (samples < next_floor[t + 1]) continue;
        if (step.offer({samples, o.pending_ms, li, t}) && o.pending_ms == 0.0)
          best_idle[t] = std::max(best_idle[t], samples);
      }
    };
    visit(open_global);
    if (c.training()) visit(open_by_depth[c.pp]);
  }
  // Not training is always possible (and the only choice when nothing fits).
  for (std::size_t li = 0; li < from.size(); ++li) {
    const Label& l = from[li];
    if (l.samples < floor[l.config + 1] || l.samples < next_floor[0]) continue;
    if (forced_target) {
      const bool can_move = config_at(table, l.config).instances() <= n_before &&
                            configs[*forced_target].instances() <= event.n &&
                            table.considers(l.config, *forced_target, scaled);
      if (can_move) continue;
    }
    step.offer({l.samples, 0.0, static_cast<int>(li), -1});
  }
  return step.flatten();
}

struct Search {
  std::vector<std::vector<Label>> steps;
  int best = -1;
};

// Each interval, the target that trains most in it alone (from where the
// path stands, with its pending time): a cheap path that follows the
// forecast's events closely.
std::vector<Config> greedy_path(TransitionTable& table, const PlannerState& state,
                                std::span<const Interval> future) {
  const CostModel& m = table.model();
  const auto& configs = m.configs();
  const double interval_ms = m.constants().interval_ms();
  std::vector<Config> path;
  Config current = state.config;
  double pending = state.pending_ms;
  int n = state.n;
  for (const Interval& iv : future) {
    int best = -1;
    double best_samples = 0.0;
    IntervalOutcome best_outcome{0.0, 0.0, 0.0};
    if (current.instances() <= n) {
      const bool scaled = table.scaled_for(iv.n);
      const TransitionEntry& e = table.entry(n, current, iv.n_out, scaled);
      for (const int t : table.targets(current.training() ? table.index_of(current) : -1, scaled)) {
        if (configs[t].instances() > iv.n) continue;
        const IntervalOutcome o = account_interval(interval_ms, pending, e.by_target[t].expected_ms,
                                                   table.coster().restart_ms(t, RestartKind::remove));
        const double samples = table.throughput()[t] * o.train_s;
        if (best < 0 || samples > best_samples) best = t, best_samples = samples, best_outcome = o;
      }
    }
    current = best < 0 ? Config{} : configs[best];
    pending = best < 0 ? 0.0 : best_outcome.pending_ms;
    path.push_back(current);
    n = iv.n;
  }
  return path;
}

// The best of four simple paths (keep the configuration while it fits,
// best(N) every interval, the greedy one, the relaxed DP's): a value the
// optimum reaches at least. The relaxed path is usually within 2% of it.
double known_path_value(TransitionTable& table, const PlannerState& state,
                        std::span<const Interval> future, std::span<const Config> relaxed) {
  const CostModel& m = table.model();
  std::vector<Config> keep, best;
  Config current = state.config;
  for (const Interval& iv : future) {
    if (!current.training() || current.instances() > iv.n) current = m.best_config(iv.n);
    keep.push_back(current);
    best.push_back(m.best_config(iv.n));
  }
  return std::max({evaluate_path(table, state, future, keep),
                   evaluate_path(table, state, future, best),
                   evaluate_path(table, state, future, greedy_path(table, state, future)),
                   evaluate_path(table, state, future, relaxed)});
}

// The DP with per-step, per-configuration floors (labels below them are
// neither expanded nor stored).
Search search(TransitionTable& table, const PlannerState& state, std::span<const Interval> future,
              std::optional<int> forced_first, const std::vector<std::vector<double>>& floors) {
  Search s;
  const int start = state.config.training() ? table.index_of(state.config) : -1;
  s.steps.push_back({Label{0.0, state.pending_ms, -1, start}});
  int n = state.n;
  for (std::size_t i = 0; i < future.size(); ++i) {
    s.steps.push_back(expand(table, s.steps.back(), n, future[i],
                             i == 0 ? forced_first : std::nullopt, floors[i], floors[i + 1]));
    n = future[i].n;
  }
  const auto& last = s.steps.back();
  for (std::size_t i = 0; i < last.size(); ++i) {
    if (s.best < 0) { s.best = static_cast<int>(i); continue; }
    const Label& a = last[i];
    const Label& b = last[s.best];
    if (a.samples > b.samples || (a.samples == b.samples && a.pending_ms < b.pending_ms))
      s.best = static_cast<int>(i);
  }
  return s;
}

// Branch and bound: a label at step i can add at most its remaining bound;
// below a value some path reaches it is dropped before its transitions are
// computed. The value is first aimed between the best known path and the
// bound (3/4 of the way, then 1/2, 1/4; at scale the optimum sits about
// halfway): a search that finds a path reaching its aim is exact, since
// every label it dropped led below the aim; one that does not is searched
// again, aiming lower, and last at the best known path (always exact). The
// entries a failed aim computed stay in the table for the next.
Search run(TransitionTable& table, const PlannerState& state, std::span<const Interval> future,
           std::optional<int> forced_first) {
  const std::size_t width = table.model().configs().size() + 1;
  std::vector<std::vector<double>> floors(future.size() + 1, std::vector<double>(width, -1.0));
  if (forced_first) return search(table, state, future, forced_first, floors);
  const int start = state.config.training() ? table.index_of(state.config) : -1;
  const RemainingBound bounds = remaining_bound(table, state, future);
  double known = known_path_value(table, state, future, bounds.path(table.model(), start));
  const double most = bounds.value[0][start + 1];
  const double gap = most - known;
  for (const double share : {0.75, 0.5, 0.25, 0.0}) {
    const bool last_try = share == 0.0;
    const double value = known + share * gap;  // known: the last try
    if (!last_try && !(gap > 0.0)) continue;
    const double slack = 1e-9 * std::max(1.0, value);
    for (std::size_t i = 0; i < floors.size(); ++i)
      for (std::size_t c = 0; c < width; ++c) floors[i][c] = value - bounds.value[i][c] - slack;
    Search s = search(table, state, future, std::nullopt, floors);
    if (last_try) return s;
    if (s.best < 0) continue;
    const double found = s.steps.back()[s.best].samples;
    if (found >= value - slack) return s;
    known = std::max(known, found);
  }
  return {};  // not reached: the last try returns
}

Plan to_plan(const TransitionTable& table, const Search& s) {
  Plan p;
  if (s.best < 0 || s.steps.size() < 2) return p;
  p.expected_samples = s.steps.back()[s.best].samples;
  int at = s.best;
  for (std::size_t step = s.steps.size() - 1; step >= 1; --step) {
    const Label& l = s.steps[step][at];
    p.path.push_back(config_at(table, l.config));
    at = l.parent;
  }
  std::reverse(p.path.begin(), p.path.end());
  p.next = p.path.front();
  return p;
}

}  // namespace

Plan plan(TransitionTable& table, const PlannerState& state, std::span<const Interval> future) {
  if (future.empty()) return Plan{state.config, 0.0, {}, {}};
  return to_plan(table, run(table, state, future, std::nullopt));
}

Plan plan_with_alternatives(TransitionTable& table, const PlannerState& state,
                            std::span<const Interval> future) {
  Plan best = plan(table, state, future);
  if (future.empty()) return best;
  const auto& configs = table.model().configs();
  const int start = state.config.training() ? table.index_of(state.config) : -1;
  for (const int t : table.targets(start, table.scaled_for(future[0].n))) {
    if (configs[t].instances() > future[0].n) continue;
    const Search s = run(table, state, future, t);
    if (s.best >= 0) best.alternatives.push_back({configs[t], s.steps.back()[s.best].samples});
  }
  std::stable_sort(best.alternatives.begin(), best.alternatives.end(),
                   [](const Alternative& a, const Alternative& b) {
                     return a.expected_samples > b.expected_samples;
                   });
  return best;
}

double evaluate_path(TransitionTable& table, const PlannerState& state,
                     std::span<const Interval> future, std::span<const Config> path) {
  const CostModel& m = table.model();
  double samples = 0.0, pending = state.pending_ms;
  Config current = state.config;
  int n = state.n;
  for (std::size_t i = 0; i < future.size() && i < path.size(); ++i) {
    const Config target = path[i];
    if (target.training()) {
      const int t = table.index_of(target);
      // The scaled entry when it holds this target, else the exact one.
      const int from = current.training() ? table.index_of(current) : -1;
      const bool scaled = table.scaled_for(future[i].n) && table.considers(from, t, true);
      const double cost = table.entry(n, current, future[i].n_out, scaled).by_target[t].expected_ms;
      const IntervalOutcome o = account_interval(m.constants().interval_ms(), pending, cost,
                                                 m.restart_ms(target, RestartKind::remove));
      samples += m.samples_per_s(target) * o.train_s;
      pending = o.pending_ms;
    } else {
      pending = 0.0;
    }
    current = target;
    n = future[i].n;
  }
  return samples;
}

}  // namespace parcae::liveput
