// Trace counts mapped onto worker ranks (see availability.hpp).
#include "parcae/elastic/availability.hpp"

#include <algorithm>
#include <cmath>

#include "parcae/error.hpp"

namespace parcae::elastic {
namespace {

int scaled(int n, double factor) { return static_cast<int>(std::floor(n * factor + 0.5)); }

// One interval's scaled events: as close to the scaled level `target` as
// events of the same kinds allow (a preemption stays a preemption, an
// allocation an allocation, and an interval without either keeps its level).
trace::Interval scaled_interval(const trace::Interval& raw, int before, int target, int workers,
                                double factor) {
  int out = 0, in = 0;
  if (raw.n_out > 0 && raw.n_in > 0) {
    out = std::max(1, scaled(raw.n_out, factor));
    in = target - before + out;
    if (in < 1) {
      out += 1 - in;
      in = 1;
    }
  } else if (raw.n_out > 0) {
    out = std::max(1, before - target);
  } else if (raw.n_in > 0) {
    in = std::max(1, target - before);
  }
  out = std::min(out, before);
  in = std::min(in, workers - (before - out));
  return {before - out + in, in, out};
}

}  // namespace

int initial_level(const trace::Series& series) {
  if (series.intervals.empty()) throw InputError("availability: the trace has no intervals");
  const auto& first = series.intervals.front();
  return first.n - first.n_in + first.n_out;
}

trace::Series fit_to_workers(const trace::Series& series, int workers) {
  if (workers < 1) throw InputError("availability: the job has no worker ranks");
  int level = initial_level(series), most = level;
  for (std::size_t k = 0; k < series.intervals.size(); ++k) {
    const auto& iv = series.intervals[k];
    if (iv.n_out > level || iv.n < 0 || iv.n != level + iv.n_in - iv.n_out) {
      throw InputError("availability: interval " + std::to_string(series.first_index + k) +
                       " removes " + std::to_string(iv.n_out) + " instances of " +
                       std::to_string(level) + " alive");
    }
    level = iv.n;
    most = std::max(most, level);
  }
  if (most <= workers) return series;
  const double factor = static_cast<double>(workers) / most;
  trace::Series out = series;
  int before = scaled(initial_level(series), factor);
  for (std::size_t k = 0; k < series.intervals.size(); ++k) {
    const int target = scaled(series.intervals[k].n, factor);
    out.intervals[k] = scaled_interval(series.intervals[k], before, target, workers, factor);
    before = out.intervals[k].n;
  }
  return out;
}

RankPool::RankPool(int workers, int initial, std::uint64_t seed)
    : alive_(workers, false), rng_(seed) {
  if (initial < 0 || initial > workers) {
    throw InputError("availability: " + std::to_string(initial) + " instances at the start for " +
                     std::to_string(workers) + " worker ranks");
  }
  std::fill(alive_.begin(), alive_.begin() + initial, true);
}

int RankPool::alive_count() const {
  return static_cast<int>(std::count(alive_.begin(), alive_.end(), true));
}

std::vector<int> RankPool::alive_ranks() const {
  std::vector<int> ranks;
  for (int w = 0; w < workers(); ++w) {
    if (alive_[w]) ranks.push_back(w + 1);
  }
  return ranks;
}

RankEvent RankPool::apply(int n_out, int n_in) {
  auto live = alive_ranks();
  if (n_out < 0 || n_out > static_cast<int>(live.size())) {
    throw InputError("availability: " + std::to_string(n_out) + " preemptions with " +
                     std::to_string(live.size()) + " ranks alive");
  }
  if (n_in < 0 || n_in > workers() - static_cast<int>(live.size()) + n_out) {
    throw InputError("availability: " + std::to_string(n_in) + " allocations with " +
                     std::to_string(workers() - static_cast<int>(live.size()) + n_out) +
                     " ranks free");
  }
  RankEvent event;
  for (int j = 0; j < n_out; ++j) {  // a partial Fisher-Yates draw
    const auto pick = j + static_cast<int>(rng_.below(live.size() - j));
    std::swap(live[j], live[pick]);
    event.preempted.push_back(live[j]);
  }
  std::sort(event.preempted.begin(), event.preempted.end());
  for (int rank : event.preempted) alive_[rank - 1] = false;
  // A rank preempted in this interval stands for an instance that is gone; new
  // instances take other dead ranks first.
  for (int pass = 0; pass < 2 && static_cast<int>(event.allocated.size()) < n_in; ++pass) {
    for (int w = 0; w < workers() && static_cast<int>(event.allocated.size()) < n_in; ++w) {
      const bool just_preempted =
          std::binary_search(event.preempted.begin(), event.preempted.end(), w + 1);
      if (!alive_[w] && just_preempted == (pass == 1)) {
        alive_[w] = true;
        event.allocated.push_back(w + 1);
      }
    }
  }
  std::sort(event.allocated.begin(), event.allocated.end());
  return event;
}

AvailabilitySource::AvailabilitySource(const trace::Series& series, int workers, std::uint64_t seed)
    : series_(fit_to_workers(series, workers)), workers_(workers) {
  const int initial = initial_level(series_);
  RankPool pool(workers, initial, seed);
  initial_ = pool.alive_ranks();
  for (const auto& iv : series_.intervals) events_.push_back(pool.apply(iv.n_out, iv.n_in));
}

namespace {

// One interval of a trace at the granularity ranks see: the instances alive
// at its start that it removes, then the instances it adds that are still
// there at its end (one that comes and goes within the interval never counts).
struct IntervalChanges {
  std::vector<std::string> removed;
  std::vector<std::string> added;
};

std::vector<IntervalChanges> changes_by_interval(const trace::Trace& trace, double interval_s,
                                                 int intervals) {
  std::vector<IntervalChanges> out(intervals);
  const double interval_ms = interval_s * 1000.0;
  std::size_t e = 0;
  for (int k = 0; k < intervals; ++k) {
    auto& c = out[k];
    for (; e < trace.events.size() && trace.events[e].time_ms < (k + 1) * interval_ms; ++e) {
      const auto& ev = trace.events[e];
      const auto arrived = std::find(c.added.begin(), c.added.end(), ev.node);
      if (ev.kind == trace::EventKind::add) {
        c.added.push_back(ev.node);
      } else if (arrived != c.added.end()) {
        c.added.erase(arrived);
      } else {
        c.removed.push_back(ev.node);
      }
    }
  }
  return out;
}

// The most instances alive at the end of any interval.
int peak_level(const std::vector<IntervalChanges>& changes) {
  int level = 0, peak = 0;
  for (const auto& c : changes) {
    level += static_cast<int>(c.added.size()) - static_cast<int>(c.removed.size());
    peak = std::max(peak, level);
  }
  return peak;
}

// Instances to ranks by identity (see AvailabilitySource).
class IdentityMap {
 public:
  explicit IdentityMap(int workers) : owner_(workers) {}
  // An instance arrives: the lowest free rank, ranks freed in this interval last.
  int add(const std::string& node, const std::vector<int>& freed_now) {
    int chosen = 0;
    for (int pass = 0; pass < 2 && chosen == 0; ++pass) {
      for (int w = 0; w < static_cast<int>(owner_.size()) && chosen == 0; ++w) {
        const bool freed = std::find(freed_now.begin(), freed_now.end(), w + 1) != freed_now.end();
        if (owner_[w].empty() && freed == (pass == 1)) chosen = w + 1;
      }
    }
    owner_[chosen - 1] = node;
    return chosen;
  }
  int remove(const std::string& node) {
    for (std::size_t w = 0; w < owner_.size(); ++w) {
      if (owner_[w] == node) {
        owner_[w].clear();
        return static_cast<int>(w) + 1;
      }
    }
    throw std::logic_error("availability: removal of unknown instance " + node);
  }
  std::vector<int> taken() const {
    std::vector<int> ranks;
    for (std::size_t w = 0; w < owner_.size(); ++w) {
      if (!owner_[w].empty()) ranks.push_back(static_cast<int>(w) + 1);
    }
    return ranks;
  }

 private:
  std::vector<std::string> owner_;  // instance on each rank ("" = free)
};

}  // namespace

AvailabilitySource AvailabilitySource::replay(const trace::Trace& trace, double interval_s,
                                              int workers, std::uint64_t seed, int first, int end) {
  const auto series = trace::discretise(trace, interval_s);
  const int total = static_cast<int>(series.intervals.size());
  if (end < 0 || end > total) end = total;
  if (first < 0 || first >= end) throw InputError("availability: empty replay window");
  const auto changes = changes_by_interval(trace, interval_s, end);
  if (peak_level(changes) > workers) {
    trace::Series part = series;
    part.first_index = first;
    part.intervals.assign(series.intervals.begin() + first, series.intervals.begin() + end);
    return AvailabilitySource(part, workers, seed);
  }
  AvailabilitySource out;
  out.workers_ = workers;
  out.by_identity_ = true;
  out.series_.interval_s = interval_s;
  out.series_.first_index = first;
  IdentityMap ranks(workers);
  for (int k = 0; k < end; ++k) {
    if (k == first) out.initial_ = ranks.taken();
    RankEvent event;
    for (const auto& node : changes[k].removed) event.preempted.push_back(ranks.remove(node));
    for (const auto& node : changes[k].added) {
      event.allocated.push_back(ranks.add(node, event.preempted));
    }
    if (k < first) continue;
    std::sort(event.preempted.begin(), event.preempted.end());
    std::sort(event.allocated.begin(), event.allocated.end());
    const int before = out.series_.intervals.empty() ? static_cast<int>(out.initial_.size())
                                                     : out.series_.intervals.back().n;
    const int n_in = static_cast<int>(event.allocated.size());
    const int n_out = static_cast<int>(event.preempted.size());
    out.series_.intervals.push_back({before + n_in - n_out, n_in, n_out});
    out.events_.push_back(std::move(event));
  }
  return out;
}

AvailabilitySource AvailabilitySource::synthetic(const trace::GeneratorParams& params, int workers,
                                                 std::uint64_t seed) {
  return replay(trace::generate_trace(params), params.interval_s, workers, seed);
}

}  // namespace parcae::elastic
