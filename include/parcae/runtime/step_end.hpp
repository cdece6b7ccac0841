#pragma once
// What happens at the end of an optimizer step: train on, checkpoint, or
// checkpoint and stop (the job then exits 75, "requeue me"). Every worker
// computes its own wish from the checkpoint schedule, its clock and the
// requests it heard (signals, relayed notes), and the ranks take the maximum
// of their wishes (one small allreduce per step), so they all end the same
// step the same way even when a signal reached them at different steps or
// their clocks disagree on --checkpoint-seconds. The levels are ordered for
// that: a stop includes its checkpoint.
#include <functional>

namespace parcae::runtime {

enum class StepEnd : int {
  train_on = 0,
  checkpoint = 1,
  checkpoint_and_stop = 2,
};

inline StepEnd strongest(StepEnd a, StepEnd b) { return a > b ? a : b; }

// When checkpoints are due without being asked for (0 = never by that rule).
struct CheckpointSchedule {
  int every_steps = 0;       // --checkpoint-every: after steps N, 2N, ... (1-based counts)
  double every_seconds = 0;  // --checkpoint-seconds: when this long has passed since the last
  bool at_end = false;       // after the job's last step
};

// This rank's wish after 0-based step `step` of a job of `total_steps`, with
// `seconds_since_checkpoint` on its clock (since the job started when none was
// written yet) and the strongest request heard since the last step.
StepEnd wished_step_end(const CheckpointSchedule& schedule, int step, int total_steps,
                        double seconds_since_checkpoint, StepEnd requested);

// Requests from outside the job (signals), taken (read and cleared) once a step.
using RequestSource = std::function<StepEnd()>;

}  // namespace parcae::runtime
