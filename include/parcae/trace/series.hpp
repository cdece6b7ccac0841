#pragma once
// A trace discretised into fixed intervals: how many instances are alive after
// each interval's events (N), and how many were allocated (n_in) and preempted
// (n_out) during it. This is what the predictor and the optimizer see.
#include <span>
#include <vector>

#include "parcae/trace/trace.hpp"

namespace parcae::trace {

struct Interval {
  int n = 0;      // instances alive after this interval's events
  int n_in = 0;   // allocations in this interval
  int n_out = 0;  // preemptions in this interval
  bool operator==(const Interval&) const = default;
};

struct Series {
  double interval_s = 60.0;
  int first_index = 0;  // index of intervals[0] in the whole trace (windows start mid-trace)
  std::vector<Interval> intervals;
};

// Interval k covers [k*interval_s, (k+1)*interval_s); N starts at 0 and
// N_k = N_{k-1} + n_in - n_out. The last event opens the last interval.
// Throws InputError when the trace would span more than kMaxIntervals (19
// years of minutes; 120 MB of intervals).
inline constexpr long kMaxIntervals = 10'000'000;
Series discretise(const Trace& trace, double interval_s = 60.0);

// Intervals [start_hour*3600/interval_s, end_hour*3600/interval_s). The
// instances alive at the window's start are present at its t = 0; the counts
// of the window's first interval are its own events. Throws InputError when the
// window is empty, reversed or outside the series.
Series window(const Series& series, double start_hour, double end_hour);

struct Summary {
  int intervals = 0;
  int n_min = 0;
  int n_max = 0;
  double n_mean = 0.0;
  long allocations = 0;
  long preemptions = 0;
  int intervals_with_preemption = 0;
};

Summary summarise(const Series& series);

// Just the N column, handy for predictors.
std::vector<int> levels(std::span<const Interval> intervals);

}  // namespace parcae::trace
