#pragma once
// The migration time from a running configuration to every target, for one
// preemption outcome (how many replicas of each stage survive). The paper's
// kinds (DESIGN.md), cheapest first:
//   intra-stage: P unchanged and every stage keeps >= D' replicas: only the
//                communicators are rebuilt (rebuild + process start);
//   inter-stage: P unchanged, some stage short of D' replicas: instances change
//                stage and receive its state, max over short stages of the
//                transfer, or the sum over stages that lost every replica if
//                larger, + restart(type);
//   pipeline:    P changes: every new stage takes the surviving instance that
//                holds most of its layers (greedy in stage order, one instance
//                per new stage) and fetches the rest; the transfer of all the
//                missing state + a broadcast of the largest stage when D' > 1 +
//                restart(type);
//   rollback:    with no preemption notice, a stage that lost every replica
//                lost its layers: restart from the checkpoint.
// restart(type) is 'add' when the target needs more instances than survive of
// the old grid (D*P - n_out), as the artifact's monte_carlo.py, or, with
// CostConstants::spares_in_job, more than survive in the whole job (N - n_out).
// Two deliberate differences from the artifact: a re-partition is charged for
// every new stage's missing layers (the artifact keeps only the last stage's),
// and keeping the configuration when only spares were preempted costs nothing.
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "parcae/liveput/cost_model.hpp"

namespace parcae::liveput {

enum class MigrationKind { none, start, intra_stage, inter_stage, pipeline, rollback };

const char* to_string(MigrationKind kind);

struct MigrationCost {
  double ms = 0.0;
  MigrationKind kind = MigrationKind::none;
  double restart_ms = 0.0;  // the restart(type) included in ms
};

class MigrationCoster {
 public:
  explicit MigrationCoster(const CostModel& model);
  explicit MigrationCoster(const CostModel&& model) = delete;  // keeps a reference

  // From `from` (training) with survivors[s] live replicas of stage s, after
  // n_out preemptions among the `alive` instances, to `target`.
  MigrationCost cost(Config from, std::span<const int> survivors, int n_out, int alive,
                     Config target);

  // The same to every target of model().configs() at once (out has their size):
  // what the targets share (re-partition transfers per depth) is computed once.
  void costs_to_all(Config from, std::span<const int> survivors, int n_out, int alive,
                    std::span<MigrationCost> out);
  // The same for the listed target indices only (the other entries of out untouched).
  void costs_to(Config from, std::span<const int> survivors, int n_out, int alive,
                std::span<const int> targets, std::span<MigrationCost> out);

  // restart(type) of a transition: 'add' when the target needs more instances
  // than the job keeps (see CostConstants::spares_in_job).
  RestartKind restart_kind(Config from, int n_out, int alive, Config target) const;
  // restart(type) of model().configs()[target], precomputed.
  double restart_ms(std::size_t target, RestartKind kind) const {
    return kind == RestartKind::add ? targets_[target].restart_add : targets_[target].restart_remove;
  }

  // The re-partition transfer of a pipeline migration from old_pp stages of
  // `replicas` replicas (survivors per stage) to new_pp stages, in ms, without
  // the broadcast and the restart.
  double repartition_transfer_ms(int old_pp, int new_pp, std::span<const int> survivors,
                                 int replicas);

  // The greedy's plan of one re-partition, for callers that cost many
  // outcomes of the same one (the reference stays valid for the coster's life).
  struct Repartition {
    std::vector<std::vector<std::int64_t>> missing;  // [new stage][old stage] params
    std::vector<std::vector<int>> preference;        // old stages by missing ascending
    // The greedy with every old replica alive: instances it takes per old
    // stage, and the missing parameters. Any outcome that leaves each old
    // stage at least that many survivors gives the same assignment.
    std::vector<int> used;
    std::vector<int> choice;          // old stage each new stage takes, all alive (-1: none)
    std::vector<int> choice_rank;     // its place in preference[new stage]
    std::vector<double> choice_missing;  // its missing parameters
    double missing_all_alive = 0.0;
    double transfer_all_alive_ms = 0.0;  // its p2p time
    int replicas = 0;  // D the baseline was computed for
    int most_used = 0;  // max of used: outcomes keeping that many per stage cost the all-alive transfer
    int new_pp = 0;
  };
  const Repartition& repartition(int old_pp, int new_pp, int replicas);
  // The same transfer, given the stages with fewer than `replicas`
  // survivors (the others are intact): the all-alive check looks at those only.
  double repartition_transfer_ms(const Repartition& plan, std::span<const int> survivors,
                                 std::span<const int> short_stages);
  // Per target of model().configs(): the broadcast of a pipeline migration,
  // the intra-stage move, the rollback.
  double broadcast_ms(std::size_t target) const { return targets_[target].broadcast; }
  double intra_ms(std::size_t target) const { return targets_[target].intra; }
  double rollback_ms(std::size_t target) const { return targets_[target].rollback; }

  // Starting from nothing (no live state): restart + broadcast of the largest stage.
  MigrationCost start_cost(Config target) const;

  const CostModel& model() const { return *model_; }

 private:
  double greedy_missing(const Repartition& plan, int new_pp, std::span<const int> survivors,
                        std::vector<int>* used);

  // Per target of model().configs(): the constant parts of its costs.
  struct TargetCosts {
    double restart_add = 0.0, restart_remove = 0.0, intra = 0.0, rollback = 0.0, broadcast = 0.0;
  };

  const CostModel* model_;
  std::vector<TargetCosts> targets_;
  std::vector<std::unique_ptr<Repartition>> plans_;  // [(old_pp * L + new_pp) * (D + 1) + D]
  std::vector<int> scratch_;
  std::vector<int> all_;  // 0 .. configs - 1
  std::vector<int> stages_;  // 0 .. deepest pipeline asked for - 1
  std::vector<double> transfer_by_pp_;
};

}  // namespace parcae::liveput
