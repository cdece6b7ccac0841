#pragma once
// Replays an availability series interval by interval under a policy and
// counts the committed samples, with the paper's accounting
// (../shared/profiles/README.md): an interval trains for its length minus the
// migration time it serves; migration time that overruns spills over.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parcae/liveput/checkpoint_ledger.hpp"
#include "parcae/liveput/cost_model.hpp"
#include "parcae/liveput/optimizer.hpp"
#include "parcae/liveput/transition.hpp"
#include "parcae/trace/series.hpp"

namespace parcae::liveput {

// The part of a series to replay: intervals [begin, end) of the whole series.
// The job starts from nothing at `begin` (the artifact's "all N arrive"); the
// forecasters see the real past before it.
struct Span {
  int begin = 0;
  int end = 0;
};

struct IntervalRecord {
  Config config;
  double samples = 0.0;     // committed in this interval
  double cumulative = 0.0;  // committed so far
  double busy_ms = 0.0;     // migrating or restarting in this interval
};

struct PolicyResult {
  std::string policy;
  double samples = 0.0;
  int reconfigurations = 0;   // intervals that started a migration or restart
  double overhead_s = 0.0;    // seconds spent migrating or restarting
  int rollbacks = 0;          // restarts from a checkpoint after live state was lost
  int idle_intervals = 0;     // intervals with no feasible configuration
  double decision_ms = 0.0;   // time spent deciding (liveput policies)
  std::vector<IntervalRecord> timeline;
};

struct SimulationOptions {
  int look_ahead = 12;
  // When set, each realised preemption draws which instances go (seeded)
  // instead of charging the expected cost of the transition.
  std::optional<std::uint64_t> sample_seed;
  // Bamboo's throughput loss from redundant computation (a fraction). An
  // assumption of ours, not a measured figure: the Bamboo paper (NSDI'23)
  // fills the redundant work into pipeline bubbles and reports it as a modest
  // slowdown; the shared profiles give no figure, so it is an option.
  double bamboo_overhead = 0.2;
  // When set, the replay also pays checkpoint stalls and loses, at each
  // preemption, the expected samples a rollback redoes (checkpoint_ledger.hpp):
  // what a live elastic job's own prediction accounts. Unset: the paper's
  // accounting, a rollback costs its restart only.
  std::optional<CheckpointCadence> checkpoints;
};

// The throughput-optimal configuration every interval at no cost.
PolicyResult simulate_ideal(const CostModel& model, const trace::Series& series, Span span);

// Throughput-optimal configuration, checkpoint-restart on every interval with
// an event (the paper's baseline, with its pending-replacement rule);
// `checkpoints` as SimulationOptions::checkpoints (every change checkpoints).
PolicyResult simulate_reactive(const CostModel& model, const trace::Series& series, Span span,
                               const std::optional<CheckpointCadence>& checkpoints = {});

// Redundant computation à la Bamboo: throughput x (1 - overhead); a preemption
// is survived (communicators rebuilt) unless two neighbouring stages of one
// pipeline go together, else checkpoint-restart; allocations restart to use
// the new instances.
PolicyResult simulate_bamboo(const CostModel& model, const trace::Series& series, Span span,
                             const SimulationOptions& options);

// Where the liveput optimizer gets its view of the future.
class Forecaster {
 public:
  virtual ~Forecaster() = default;
  // The next `horizon` intervals from index `next` of `series`, seeing only
  // intervals [0, next). May return fewer (end of the replay).
  virtual std::vector<Interval> forecast(const trace::Series& series, int next, int end,
                                         int horizon) const = 0;
};

// The true future (parcae-oracle), cut at the end of the replay.
class OracleForecaster : public Forecaster {
 public:
  std::vector<Interval> forecast(const trace::Series& series, int next, int end,
                                 int horizon) const override;
};

PolicyResult simulate_liveput(TransitionTable& table, const trace::Series& series, Span span,
                              const Forecaster& forecaster, const SimulationOptions& options,
                              const std::string& name);

// Exact probability that Bamboo survives n_out preemptions among n instances
// running `c` (no two ring-neighbouring stages of one pipeline both preempted).
double bamboo_survival_probability(int n, Config c, int n_out);

}  // namespace parcae::liveput
