// Discretisation of a trace into fixed intervals, and windows over the result.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "parcae/error.hpp"
#include "parcae/trace/series.hpp"

namespace parcae::trace {

Series discretise(const Trace& trace, double interval_s) {
  if (!(interval_s > 0)) throw InputError("interval length must be positive");
  Series series;
  series.interval_s = interval_s;
  if (trace.events.empty()) return series;
  const double interval_ms = interval_s * 1000.0;
  const auto index_of = [&](std::int64_t t) {
    return static_cast<std::size_t>(std::floor(static_cast<double>(t) / interval_ms));
  };
  // Checked before allocating: timestamps near 2^63 or a microsecond interval
  // would ask for more intervals than any memory holds.
  const double count = std::floor(static_cast<double>(trace.events.back().time_ms) / interval_ms) + 1;
  if (count > static_cast<double>(kMaxIntervals)) {
    std::ostringstream what;
    what << trace.source << ": the last event at " << trace.events.back().time_ms << " ms makes "
         << count << " intervals of " << interval_s << " s, more than " << kMaxIntervals
         << ": use a longer --interval-seconds";
    throw InputError(what.str());
  }
  series.intervals.resize(index_of(trace.events.back().time_ms) + 1);
  for (const auto& e : trace.events) {
    auto& slot = series.intervals[index_of(e.time_ms)];
    (e.kind == EventKind::add ? slot.n_in : slot.n_out) += 1;
  }
  int n = 0;
  for (auto& slot : series.intervals) {
    n += slot.n_in - slot.n_out;
    slot.n = n;
  }
  return series;
}

Series window(const Series& series, double start_hour, double end_hour) {
  const double per_hour = 3600.0 / series.interval_s;
  const auto first = static_cast<long>(std::llround(start_hour * per_hour));
  const auto last = static_cast<long>(std::llround(end_hour * per_hour));
  const long size = static_cast<long>(series.intervals.size());
  std::ostringstream where;
  where << "window " << start_hour << "h-" << end_hour << "h";
  if (start_hour < 0 || first >= last) {
    throw InputError(where.str() + " is empty or reversed (need 0 <= start < end)");
  }
  if (first >= size) {
    throw InputError(where.str() + " starts after the trace ends (" +
                     std::to_string(size / per_hour) + " h)");
  }
  Series out;
  out.interval_s = series.interval_s;
  out.first_index = series.first_index + static_cast<int>(first);
  out.intervals.assign(series.intervals.begin() + first,
                       series.intervals.begin() + std::min(last, size));
  return out;
}

Summary summarise(const Series& series) {
  Summary s;
  s.intervals = static_cast<int>(series.intervals.size());
  if (series.intervals.empty()) return s;
  s.n_min = s.n_max = series.intervals.front().n;
  double total = 0;
  for (const auto& i : series.intervals) {
    s.n_min = std::min(s.n_min, i.n);
    s.n_max = std::max(s.n_max, i.n);
    total += i.n;
    s.allocations += i.n_in;
    s.preemptions += i.n_out;
    s.intervals_with_preemption += i.n_out > 0;
  }
  s.n_mean = total / s.intervals;
  return s;
}

std::vector<int> levels(std::span<const Interval> intervals) {
  std::vector<int> n(intervals.size());
  std::transform(intervals.begin(), intervals.end(), n.begin(),
                 [](const Interval& i) { return i.n; });
  return n;
}

}  // namespace parcae::trace
