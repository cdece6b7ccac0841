#pragma once
// The layout planner: which alive rank takes each (replica, stage) of the
// configuration the optimizer chose. It keeps state where it already is: a
// rank holding a stage's layers stays on that stage when the stage needs it,
// and where P changes, the ranks holding most of a new stage's layers take it
// (a greedy over (rank, stage) pairs by bytes already held, largest first).
// The other positions go to the lowest-numbered alive ranks that hold nothing
// useful; whoever is left is parked as a spare, so a later preemption can be
// absorbed by a spare instead of shrinking the job.
#include <cstdint>
#include <span>
#include <vector>

#include "parcae/elastic/migration_plan.hpp"

namespace parcae::elastic {

// `alive` lists the ranks that will be alive for the next interval (ascending);
// target = dp x pp with next_ranges[s] the layers of stage s. Throws
// std::logic_error when dp * pp exceeds the alive ranks.
Layout plan_layout(const Holdings& holdings, std::span<const int> alive, int dp, int pp,
                   std::span<const StageRange> next_ranges,
                   std::span<const std::int64_t> layer_bytes);

}  // namespace parcae::elastic
