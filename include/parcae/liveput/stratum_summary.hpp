#pragma once
// The mean migration cost of one stratum (the grid losing j instances, every
// loss vector of it) to many targets, summarised by what the costs depend on
// (migration_cost.hpp), so an outcome costs O(depths + P + D) instead of one
// evaluation per target:
//   - a target of another depth pays the re-partition transfer to its depth
//     plus its own broadcast; the transfer is the all-alive one for every
//     outcome that leaves each stage as many instances as the all-alive
//     greedy takes from it (summed by the fewest survivors of a stage, once
//     per depth at finish), else one greedy per depth and outcome;
//   - a target of the same depth D' x P is intra-stage when every stage keeps
//     D' replicas, else inter-stage at max(worst short stage, stages lost),
//     both functions of the survivors per stage and D' only;
//   - with no notice, a lost stage is a rollback for every target.
// The scaled optimizer's strata (hundreds of targets past 64 instances) use
// it; the sums equal the per-target ones of TransitionTable's exact strata up
// to rounding (tests/liveput/stratum_summary_test.cpp). The restart is left
// out, as in the exact strata: its kind depends on N and n_out, so the stratum
// serves every n_out too.
#include <span>
#include <vector>

#include "parcae/liveput/migration_cost.hpp"

namespace parcae::liveput {

class StratumSummary {
 public:
  // `targets`: the target indices (of model().configs()) it must answer for.
  // The coster passed to add and cost must be (a copy of) this one.
  StratumSummary(MigrationCoster& coster, Config from, std::span<const int> targets);

  // One outcome: survivors[s] replicas of stage s live on, with this weight.
  void add(MigrationCoster& coster, std::span<const int> survivors, double weight);
  // After the last add.
  void finish();

  struct Cost {
    double expected_ms = 0.0;          // weighted, without the restart
    double restart_probability = 0.0;  // weight of outcomes that restart
    double probability = 0.0;          // weight of outcomes without a rollback
  };
  Cost cost(const MigrationCoster& coster, int target) const;
  long outcomes() const { return outcomes_; }

 private:
  Config from_;
  int max_dp_ = 0;            // deepest replica count of a same-depth target
  struct Depth {
    int pp = 0;
    const MigrationCoster::Repartition* plan = nullptr;
  };
  std::vector<Depth> depths_;  // other depths among the targets, by plan->most_used descending
  std::vector<double> w_by_min_left_;  // [k] weight of outcomes whose fewest survivors of a stage is k
  std::vector<int> short_;             // scratch: stages that lost a replica
  bool rollback_possible_ = false;
  long outcomes_ = 0;
  double w_move_ = 0.0, w_rollback_ = 0.0;
  std::vector<double> transfer_ms_;  // [pp] weighted re-partition transfer
  std::vector<double> intra_at_;     // [k] weight with min(min_left, max_dp) == k; then suffix sums
  std::vector<double> inter_ms_, w_inter_;  // [D'] weighted inter-stage cost and weight
  std::vector<double> worst_by_count_;      // scratch: [r] slowest stage with r survivors
};

}  // namespace parcae::liveput
