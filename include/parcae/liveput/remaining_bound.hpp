#pragma once
// An upper bound on what the look-ahead optimizer can still gain, for its
// branch and bound, and the path that reaches it in the relaxation.
//
// value[i][c + 1]: the most samples of forecast intervals i.. from
// configuration c (-1: not training), by a relaxed DP over the optimizer's
// own moves (the same target sets, the same fits) at a lower bound of each
// move's expected cost (migration_cost.hpp):
//   - staying: a restart (or a rollback) whenever the grid loses an
//     instance, at its exact probability 1 - C(S, n_out) / C(N, n_out), else
//     nothing;
//   - another depth: its restart and broadcast, or a rollback (a start from
//     nothing: an 'add' restart and the broadcast);
//   - the same depth, more replicas: never intra-stage, so a restart ('add'
//     unless spares are in the job) or a rollback;
//   - the same depth, fewer replicas: the cheapest of intra-stage, restart,
//     rollback.
// A restart's kind is the transition's where it depends on the target's
// instances only ('add' above the instances the grid keeps). Every outcome of
// a move costs at least its bound, so its expected cost does too; whatever is
// pending, an interval's busy time is at least the bound of the move taken in
// it (a new migration replaces what is pending, account_interval), so no path
// from a label trains more than the label's bound. Unlike best(N) at no cost,
// it charges the churn: at 256 instances it sits within 2% of the optimum
// where best(N) sat 20% above it. A target may appear in several terms of a
// maximum (at a dearer bound as a move of another kind); its cheapest valid
// bound always appears too, so the maximum stays an upper bound.
#include <span>
#include <vector>

#include "parcae/liveput/optimizer.hpp"

namespace parcae::liveput {

struct RemainingBound {
  std::vector<std::vector<double>> value;  // [i][c + 1], i = 0 .. horizon
  std::vector<std::vector<int>> move;      // [i][c + 1]: the target reaching it (-1: not training)
  // The relaxed DP's path from configuration index `start` (-1: not
  // training): a path the optimizer can take, so a known path for its bound.
  std::vector<Config> path(const CostModel& model, int start) const;
};

RemainingBound remaining_bound(TransitionTable& table, const PlannerState& state,
                               std::span<const Interval> future);

}  // namespace parcae::liveput
