#pragma once
// Recovery from dead workers, the pure part: from what the survivors report
// holding after an abort, the step the job goes on from and whose state it
// uses. A death can cut a step anywhere, so survivors may disagree by one step
// (some finished their AdamW update before the abort reached them, others
// were still waiting in the pipeline or the allreduce); the job goes on from
// the latest step at which every layer still has a survivor holding it, and no
// later than the last step the coordinator has logged (a step whose loss it
// never heard from every replica is redone, not skipped). When no such step
// exists, some layer has no live holder: a rollback.
#include <cstdint>
#include <optional>
#include <vector>

#include "parcae/elastic/migration_plan.hpp"

namespace parcae::elastic {

struct SurvivorState {
  int rank = 0;                    // world rank, 1..W
  std::optional<StageRange> held;  // layers it still holds, none when parked
  std::int64_t step = 0;           // optimizer steps applied to them
};

struct ResumePoint {
  std::int64_t step = 0;
  Holdings holdings;  // the survivors whose state is at `step` (the rest hold nothing usable)
};

// `workers` = W, `layers` = the model's layer count, `logged` = steps the
// coordinator has logged. nullopt: some layer has no survivor at a usable step.
std::optional<ResumePoint> resume_point(const std::vector<SurvivorState>& survivors, int workers,
                                        int layers, std::int64_t logged);

}  // namespace parcae::elastic
