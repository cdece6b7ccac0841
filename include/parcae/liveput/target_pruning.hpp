#pragma once
// Which targets the optimizer considers from a configuration.
//
// Exact: every configuration. Scaled (for clusters past 64 instances, where
// the exact set is hundreds of configurations and the DP's work grows with
// its square per step): the throughput frontier plus the configurations of
// the current pipeline depth.
//
// The frontier: a configuration is dominated when another has no more
// instances and at least its throughput, one of them strictly. A dominated
// target is never best(N) for any N, and from any one state it reaches no
// more samples in its interval than its dominator when their migration costs
// are alike. It can still be the optimum when it is the cheap move (keep the
// pipeline, drop a replica), hence the same-depth column stays in. This is an
// approximation only because a dominated target's later transitions may be
// cheaper; `parcae simulate --optimizer exact|scaled` measures what it loses
// (docs/liveput.md).
#include <span>
#include <vector>

#include "parcae/liveput/cost_model.hpp"

namespace parcae::liveput {

enum class TargetSet { exact, scaled, automatic };

// One flag per configuration: not dominated by another of (instances, throughput).
std::vector<bool> undominated(std::span<const int> instances, std::span<const double> throughput);

// Per configuration index (and, at index configs().size(), for not training):
// the sorted target indices the scaled optimizer considers from it: the
// frontier, every configuration within `slack` (a fraction) of the best
// throughput on as many instances, and the current pipeline depth.
std::vector<std::vector<int>> scaled_targets(const CostModel& model, double slack = 0.0);

}  // namespace parcae::liveput
