#pragma once
// The coordinator's mind, free of MPI: one decision per interval of the
// availability source. When the interval's events arrive (instances preempted,
// instances allocated), the policy picks the configuration for the interval
// (parcae: liveput::decide over the predictor's forecast; parcae-oracle: over
// the true future; reactive: the throughput-best configuration whenever
// something happened, as the paper's checkpoint-restart baseline), the layout
// planner assigns ranks keeping state where it is, and plan_migration says
// what moves. The coordinator (MPI) ships the decision; the workers obey.
#include <optional>
#include <string>
#include <vector>

#include "parcae/elastic/availability.hpp"
#include "parcae/elastic/migration_plan.hpp"
#include "parcae/liveput/decision.hpp"
#include "parcae/liveput/simulator.hpp"

namespace parcae::elastic {

enum class Policy { parcae, parcae_oracle, reactive };
// "parcae" | "parcae-oracle" | "reactive"; throws InputError listing them.
Policy parse_policy(const std::string& name);
const char* to_string(Policy policy);

struct ControllerOptions {
  Policy policy = Policy::parcae;
  int look_ahead = 12;
  // A preempted rank may send its shards before it goes (a notice long
  // enough to evacuate): it is a migration source in its last interval.
  bool evacuate = false;
  // Every change of state goes through the checkpoint store (save by the
  // holders, load by the new layout) instead of rank-to-rank transfers: the
  // `--migration hdf5` baseline. The reactive policy always does this.
  bool through_checkpoint = false;
  // Worker ranks 1..present have a process at the start (0: every rank of the
  // source). The source may know more ranks than that (--join-workers): their
  // instances count once a process joins for them (Controller::join).
  int present = 0;
};

struct Decision {
  int interval = 0;
  RankEvent event;
  liveput::Config config;                 // {0,0}: nothing fits, the interval idles
  std::optional<runtime::Layout> layout;  // nullopt when idle
  std::vector<StageRange> ranges;         // layers of each stage of `layout`
  MigrationPlan plan;
  // The holders save a checkpoint of the current state before the change and
  // the new layout loads it (through_checkpoint or reactive, when state moves).
  bool via_checkpoint = false;
  // Then: who saves which layers of the current state (plan_store_writes).
  std::vector<StoreWrite> store_writes;
  // The interval's preempted ranks send their shards before their state goes
  // (ControllerOptions::evacuate): the plan may read them.
  bool evacuate = false;
  // The cost model's expected migration time for the decision (what the
  // optimizer charged; the run measures the real one beside it).
  double expected_ms = 0.0;
  bool training() const { return layout.has_value(); }
};

class Controller {
 public:
  // `forecaster` is used by the liveput policies (it may be null for
  // reactive) and must outlive the controller, as must `table`.
  // `layer_costs` balance stages (partition_layers); `layer_bytes` are the
  // shard sizes (param + two moments) that migrations move.
  Controller(liveput::TransitionTable& table, const liveput::Forecaster* forecaster,
             std::vector<double> layer_costs, std::vector<std::int64_t> layer_bytes,
             const AvailabilitySource& source, ControllerOptions options);

  // The decision for interval k (k = 0, 1, ... in turn, from begin_at's).
  Decision decide(int k);
  // A job resumed from a checkpoint taken in interval k0: the events of
  // intervals [0, k0) are applied to the ranks (who is alive, which rank each
  // instance took) as if they had been decided, with no state anywhere, so
  // the first decision, for interval k0, starts on the ranks the trace has
  // then (its plan is a start; the coordinator loads the checkpoint into it).
  // Only before the first decision.
  void begin_at(int k0);
  // The decision after worker processes died during interval k (a preemption
  // without notice that no trace announced): `holdings` are the survivors'
  // usable state (what they hold at the step the job goes on from). The
  // configuration goes on when the survivors still fill it, else the best
  // one that fits; the plan migrates from live replicas (intra-stage,
  // inter-stage, pipeline) when every layer still has one, and is a rollback
  // otherwise. Dead ranks never come back: later trace events for them are
  // dropped.
  Decision lose(int k, const std::vector<int>& dead, const Holdings& holdings);
  // Worker ranks 1..present have a process from now on (new workers joined;
  // it only grows). Their instances, if the source has them alive, arrive at
  // the next decision, parked with no state, as allocated ranks do.
  void join(int present);
  int present() const { return present_; }
  // The highest rank the source has alive once interval k's events are
  // applied (0: none): a process beyond present() is wanted for it.
  int highest_wanted(int k) const;
  // Migration time still to serve after the interval (an overrun spills into
  // the next one, as in the simulator's accounting).
  void set_pending_ms(double pending_ms) { state_.pending_ms = pending_ms; }

  const std::optional<runtime::Layout>& layout() const { return layout_; }
  const std::vector<StageRange>& ranges() const { return ranges_; }
  liveput::Config config() const { return state_.config; }
  // Ranks whose model state is current (trained in the last interval, not preempted since).
  const std::vector<bool>& holders() const { return holds_state_; }
  int alive_count() const;
  std::vector<int> alive_ranks() const;  // ascending

 private:
  // Interval k's events applied to the ranks (alive_, listed_), filtered to
  // the ranks with a process and completed with the instances whose process
  // joined since; the preempted ranks' state is the caller's to drop.
  RankEvent arrive(int k);
  liveput::Config choose(int k, const trace::Interval& now);
  std::vector<StageRange> ranges_for(int pp) const;
  // The layout, plan and books for `target` from `holdings` (decide and lose).
  void carry_out(Decision& d, liveput::Config target, const Holdings& holdings);

  liveput::TransitionTable& table_;
  const liveput::Forecaster* forecaster_;
  std::vector<double> layer_costs_;
  std::vector<std::int64_t> layer_bytes_;
  const AvailabilitySource& source_;
  ControllerOptions options_;
  std::vector<bool> alive_;        // index = rank - 1
  std::vector<bool> holds_state_;  // index = rank - 1
  std::vector<bool> dead_;         // index = rank - 1: the process died (never back)
  std::vector<bool> listed_;       // index = rank - 1: alive in the source, process or not
  int present_ = 0;                // ranks 1..present_ have a process
  std::optional<runtime::Layout> layout_;
  std::vector<StageRange> ranges_;
  bool trained_ = false;  // some state exists (or existed: a loss is a rollback)
  int next_ = 0;          // the interval decide() expects next
  liveput::JobState state_;
};

}  // namespace parcae::elastic
