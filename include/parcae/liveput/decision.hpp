#pragma once
// One decision of the liveput policy, as the coordinator takes it and the
// simulator replays it: the events of the interval starting now have arrived
// (new instances, preemption notices); plan over the forecast and fall back to
// the configuration that trains most now when the plan does not fit reality.
#include <span>

#include "parcae/liveput/optimizer.hpp"

namespace parcae::liveput {

struct JobState {
  int n = 0;               // instances alive before this interval's events
  Config config;           // running ({0,0}: not training)
  double pending_ms = 0.0; // migration time still to serve
  bool stopped = false;    // had to stop training: resuming reloads the checkpoint
};

// `now` is this interval's realised event; `future` the forecast from this
// interval on (future[0] may differ from `now` when the forecaster could not
// see it). Returns {0,0} when no configuration fits.
Config decide(TransitionTable& table, const JobState& state, const Interval& now,
              std::span<const Interval> future);

// The configuration that trains most in this interval alone, given its event.
Config best_for_interval(TransitionTable& table, const JobState& state, const Interval& now);

// Expected migration time of going to `target` in this interval.
double expected_migration_ms(TransitionTable& table, const JobState& state, const Interval& now,
                             Config target);

}  // namespace parcae::liveput
