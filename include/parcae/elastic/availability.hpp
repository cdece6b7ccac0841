#pragma once
// Where the coordinator learns which worker ranks are alive. A trace (or the
// built-in synthetic generator) gives, per interval, how many instances were
// preempted and allocated; those counts are mapped onto the job's W worker
// ranks: which ranks are preempted is drawn uniformly among the alive ones (the
// assumption of the liveput transition table), from a seed, so a replay is
// deterministic; allocations revive the lowest-numbered dead ranks.
//
// A trace may have more instances than the job has workers. Its levels are
// then scaled by W / max N: interval k aims at N_k * W / max N rounded to the
// nearest integer (halves up), with events of the same kinds as the trace's:
// an interval with any preemption (allocation) keeps at least one, and one
// with neither keeps its level, so every event of the trace is still an event
// on the ranks and the series stays consistent (N_k = N_{k-1} + n_in - n_out);
// where that forces a level off its aim (a lone preemption that rounds to
// nothing still removes one rank), the next event steers it back.
#include <cstdint>
#include <vector>

#include "parcae/rng.hpp"
#include "parcae/trace/generator.hpp"
#include "parcae/trace/series.hpp"

namespace parcae::elastic {

// Instances alive before the series' first interval (its events not yet applied).
int initial_level(const trace::Series& series);

// The series scaled to at most `workers` instances (unchanged when it fits).
// Throws InputError when `workers` < 1 or the series is empty or inconsistent
// (more preemptions than instances alive, a negative level).
trace::Series fit_to_workers(const trace::Series& series, int workers);

// What one interval does to the ranks (world ranks 1..W, ascending).
struct RankEvent {
  std::vector<int> preempted;
  std::vector<int> allocated;
  bool operator==(const RankEvent&) const = default;
};

// The alive set of worker ranks 1..W, moved by interval counts.
class RankPool {
 public:
  // The first `initial` ranks start alive.
  RankPool(int workers, int initial, std::uint64_t seed);

  // Applies one interval: n_out of the alive ranks are preempted (uniformly),
  // then n_in dead ranks are allocated (the lowest-numbered ones that were not
  // preempted in this same interval first). Throws InputError when n_out
  // exceeds the alive ranks or n_in the dead ones.
  RankEvent apply(int n_out, int n_in);

  int workers() const { return static_cast<int>(alive_.size()); }
  bool alive(int rank) const { return alive_.at(rank - 1); }
  int alive_count() const;
  std::vector<int> alive_ranks() const;

 private:
  std::vector<bool> alive_;  // index = rank - 1
  Rng rng_;
};

// A trace replayed on the ranks, interval by interval: which ranks each
// interval preempts and allocates, and the series of those counts (what the
// predictor and the optimizer see). A trace whose alive instances never
// outnumber the workers at the end of an interval is replayed by identity: an
// interval's removals free their ranks first, then each instance it adds takes
// the lowest-numbered free rank (one freed in the same interval last) and keeps
// it until its own removal, so a scripted trace decides exactly
// which rank goes when; an instance that comes and goes within one interval
// never reaches a rank and is left out of the counts. A larger trace is
// replayed by counts: scaled (fit_to_workers) and drawn by a RankPool.
class AvailabilitySource {
 public:
  // By counts: the series scaled to `workers`, ranks drawn from `seed`.
  AvailabilitySource(const trace::Series& series, int workers, std::uint64_t seed);
  // By identity when the trace fits the workers, else by counts. Intervals
  // [first, end) of the discretised trace (end < 0: to the trace's end).
  static AvailabilitySource replay(const trace::Trace& trace, double interval_s, int workers,
                                   std::uint64_t seed, int first = 0, int end = -1);
  // The built-in synthetic generator's trace, replayed.
  static AvailabilitySource synthetic(const trace::GeneratorParams& params, int workers,
                                      std::uint64_t seed);

  const trace::Series& series() const { return series_; }
  int intervals() const { return static_cast<int>(series_.intervals.size()); }
  int workers() const { return workers_; }
  bool by_identity() const { return by_identity_; }
  // Ranks alive before the first interval, ascending.
  const std::vector<int>& initial_ranks() const { return initial_; }
  const RankEvent& event(int k) const { return events_.at(k); }

 private:
  AvailabilitySource() = default;
  trace::Series series_;
  int workers_ = 0;
  bool by_identity_ = false;
  std::vector<int> initial_;
  std::vector<RankEvent> events_;
};

}  // namespace parcae::elastic
