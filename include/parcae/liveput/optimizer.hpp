#pragma once
// The look-ahead optimizer: over the next H intervals of a forecast
// (N, n_in, n_out), choose the configuration path that maximises the expected
// committed samples, net of the expected migration time of each transition,
// with the paper's accounting: migration time that overruns an interval
// spills into the next, and a migration that starts while one is pending
// adds a restart (the artifact's estimate_concurrent_restart_cost).
//
// Exact dynamic program: a state is (configuration, pending migration time);
// per configuration it keeps the Pareto front of (samples, pending) labels,
// because more pending time never helps later. The artifact keeps only
// "pending or not" per configuration, which can drop the best path.
#include <span>
#include <vector>

#include "parcae/liveput/transition.hpp"
#include "parcae/trace/series.hpp"

namespace parcae::liveput {

using trace::Interval;

struct PlannerState {
  int n = 0;               // instances alive now (before the first forecast interval)
  Config config;           // running now ({0,0} = not training)
  double pending_ms = 0.0; // migration time still to serve
};

struct Alternative {
  Config first;
  double expected_samples = 0.0;
};

struct Plan {
  Config next;                      // configuration for the first interval
  double expected_samples = 0.0;    // over the horizon
  std::vector<Config> path;         // one per forecast interval
  std::vector<Alternative> alternatives;  // best value per first step (plan_with_alternatives)
};

// One interval of the accounting, shared by the optimizer and the simulator:
// given the pending time and this interval's migration time, returns the
// training seconds and updates pending.
struct IntervalOutcome {
  double train_s = 0.0;
  double pending_ms = 0.0;   // after the interval
  double busy_ms = 0.0;      // spent migrating in this interval
};
IntervalOutcome account_interval(double interval_ms, double pending_ms, double migration_ms,
                                 double concurrent_restart_ms);

// Best path over `future` (its size is the horizon). Never throws on a
// forecast that drops below the smallest configuration: those intervals train nothing.
Plan plan(TransitionTable& table, const PlannerState& state, std::span<const Interval> future);

// The same plus, for every feasible first step, the best value that starts with it.
Plan plan_with_alternatives(TransitionTable& table, const PlannerState& state,
                            std::span<const Interval> future);

// Expected samples of a given path (for tests and for explaining a plan).
double evaluate_path(TransitionTable& table, const PlannerState& state,
                     std::span<const Interval> future, std::span<const Config> path);

}  // namespace parcae::liveput
