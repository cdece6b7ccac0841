// Seeded synthetic availability traces (see generator.hpp for the model).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "parcae/error.hpp"
#include "parcae/rng.hpp"
#include "parcae/trace/generator.hpp"

namespace parcae::trace {
namespace {

void require(bool ok, const std::string& option, const std::string& what) {
  if (!ok) throw InputError("--" + option + ": " + what);
}

// The live set, with O(1) removal of a uniformly chosen member.
class LiveNodes {
 public:
  std::string add() {
    std::string name = "node" + std::to_string(++issued_);
    nodes_.push_back(name);
    return name;
  }
  std::string remove_random(Rng& rng) {
    const auto k = rng.below(nodes_.size());
    std::swap(nodes_[k], nodes_.back());
    std::string name = std::move(nodes_.back());
    nodes_.pop_back();
    return name;
  }
  int size() const { return static_cast<int>(nodes_.size()); }

 private:
  std::vector<std::string> nodes_;
  long issued_ = 0;
};

// Splits `total` instances into bursts of geometric size.
std::vector<int> bursts(int events, int limit, double batch_mean, Rng& rng) {
  std::vector<int> sizes;
  int left = limit;
  for (int e = 0; e < events && left > 0; ++e) {
    const int size = std::min(left, rng.geometric_at_least_one(batch_mean));
    sizes.push_back(size);
    left -= size;
  }
  return sizes;
}

}  // namespace

void validate(const GeneratorParams& p) {
  require(p.capacity >= 1, "capacity", "must be at least 1");
  require(p.initial >= 0 && p.initial <= p.capacity, "initial", "must be within [0, capacity]");
  require(p.intervals >= 1, "intervals", "must be at least 1");
  require(p.interval_s > 0, "interval-seconds", "must be positive");
  require(p.alloc_rate >= 0, "alloc-rate", "must not be negative");
  require(p.preempt_hazard >= 0, "preempt-hazard", "must not be negative");
  require(p.alloc_batch_mean >= 1, "alloc-batch", "must be at least 1");
  require(p.preempt_batch_mean >= 1, "preempt-batch", "must be at least 1");
  // The expected events, each interval's adds and removes capped by the
  // capacity: checked before generating, so the trace fits in memory.
  const double per_interval =
      std::min<double>(p.capacity, p.alloc_rate * p.capacity * p.alloc_batch_mean) +
      std::min<double>(p.capacity, p.preempt_hazard * p.capacity * p.preempt_batch_mean);
  const double events = p.initial + per_interval * (p.intervals - 1);
  require(events <= kMaxGeneratedEvents, "intervals",
          "about " + std::to_string(static_cast<long long>(events)) +
              " events expected, more than " + std::to_string(kMaxGeneratedEvents) +
              ": fewer --intervals, a smaller --capacity or lower rates");
}

Trace generate_trace(const GeneratorParams& p) {
  validate(p);
  Rng rng(p.seed);
  Trace trace{"<generated seed " + std::to_string(p.seed) + ">", {}};
  LiveNodes live;
  for (int i = 0; i < p.initial; ++i) trace.events.push_back({0, EventKind::add, live.add()});

  const auto interval_ms = std::max<std::int64_t>(1, std::llround(p.interval_s * 1000.0));
  for (int k = 1; k < p.intervals; ++k) {
    const int alive = live.size();
    const int removal_events = rng.poisson(p.preempt_hazard * alive);
    const int add_events = rng.poisson(p.alloc_rate * (p.capacity - alive));
    const auto removals = bursts(removal_events, alive, p.preempt_batch_mean, rng);
    const int removed = std::accumulate(removals.begin(), removals.end(), 0);
    const auto adds = bursts(add_events, p.capacity - alive + removed, p.alloc_batch_mean, rng);

    // Each burst lands at one instant inside the interval. Removals take
    // instances alive at its start, so any interleaving is a valid history.
    struct Burst { std::int64_t at; EventKind kind; int size; };
    std::vector<Burst> schedule;
    const auto instant = [&] {
      return k * interval_ms + static_cast<std::int64_t>(rng.below(interval_ms));
    };
    for (int size : removals) schedule.push_back({instant(), EventKind::remove, size});
    for (int size : adds) schedule.push_back({instant(), EventKind::add, size});
    std::stable_sort(schedule.begin(), schedule.end(),
                     [](const Burst& a, const Burst& b) { return a.at < b.at; });
    std::vector<std::string> doomed;
    for (int i = 0; i < removed; ++i) doomed.push_back(live.remove_random(rng));
    for (const auto& b : schedule) {
      for (int i = 0; i < b.size; ++i) {
        if (b.kind == EventKind::add) {
          trace.events.push_back({b.at, EventKind::add, live.add()});
        } else {
          trace.events.push_back({b.at, EventKind::remove, std::move(doomed.back())});
          doomed.pop_back();
        }
      }
    }
  }
  // As with a real trace, the file ends at its last event: quiet intervals at
  // the very end leave no mark, so the discretised series may be shorter.
  return trace;
}

GeneratorParams fit_generator(const Series& series) {
  if (series.intervals.size() < 2) throw InputError("fit: need at least 2 intervals");
  GeneratorParams p;
  p.intervals = static_cast<int>(series.intervals.size());
  p.interval_s = series.interval_s;
  p.initial = series.intervals.front().n;
  p.capacity = 1;
  for (const auto& i : series.intervals) p.capacity = std::max(p.capacity, i.n);

  double free_exposure = 0, alive_exposure = 0;
  long add_events = 0, remove_events = 0, added = 0, removed = 0;
  for (std::size_t k = 1; k < series.intervals.size(); ++k) {
    const auto& i = series.intervals[k];
    const int before = series.intervals[k - 1].n;
    free_exposure += p.capacity - before;
    alive_exposure += before;
    add_events += i.n_in > 0;
    remove_events += i.n_out > 0;
    added += i.n_in;
    removed += i.n_out;
  }
  p.alloc_rate = free_exposure > 0 ? add_events / free_exposure : 0.0;
  p.preempt_hazard = alive_exposure > 0 ? remove_events / alive_exposure : 0.0;
  p.alloc_batch_mean = add_events > 0 ? static_cast<double>(added) / add_events : 1.0;
  p.preempt_batch_mean = remove_events > 0 ? static_cast<double>(removed) / remove_events : 1.0;
  return p;
}

}  // namespace parcae::trace
