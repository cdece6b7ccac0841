#pragma once
// Where in the availability trace an elastic run's checkpoint was taken, so a
// run resumed from it goes on at the same place of the trace, not only of the
// training: the checkpoint's manifest records the interval to decide next and
// the steps of it already trained (`training.elastic` of manifest.json, the
// object the trainer fills), and the resumed coordinator begins there
// (Controller::begin_at replays the events before it). Pure: JSON in and out.
#include <cstdint>

#include <nlohmann/json.hpp>

namespace parcae::elastic {

struct TracePosition {
  int interval = 0;    // the interval to decide next (0-based)
  int steps_done = 0;  // of its steps, those already trained (--interval-steps runs)
  bool operator==(const TracePosition&) const = default;
};

// After `steps_into` steps of interval k of K steps (`interval_steps`): a
// finished interval is the start of the next one. Under wall-clock intervals
// (K = 0) a resumed run serves interval k's time again in full. (A checkpoint
// between two intervals, as a signal's, is simply {k + 1, 0}.)
TracePosition position_after(int k, int steps_into, int interval_steps);

// The manifest's record of it.
nlohmann::json to_json(const TracePosition& at);

// From a checkpoint's `training` object, taken after `step` steps. A
// checkpoint without the record (a fixed-layout run's) maps its step as if
// every interval had trained K steps (interval 0 under wall-clock intervals).
// Throws InputError naming the field when the record is malformed.
TracePosition position_of(const nlohmann::json& training, std::int64_t step, int interval_steps);

}  // namespace parcae::elastic
