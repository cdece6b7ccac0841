// The wish of one rank at the end of a step (see step_end.hpp).
#include "parcae/runtime/step_end.hpp"

namespace parcae::runtime {

StepEnd wished_step_end(const CheckpointSchedule& schedule, int step, int total_steps,
                        double seconds_since_checkpoint, StepEnd requested) {
  const int done = step + 1;
  const bool by_steps = schedule.every_steps > 0 && done % schedule.every_steps == 0;
  const bool by_clock =
      schedule.every_seconds > 0 && seconds_since_checkpoint >= schedule.every_seconds;
  const bool at_end = schedule.at_end && done == total_steps;
  return strongest(requested, by_steps || by_clock || at_end ? StepEnd::checkpoint
                                                             : StepEnd::train_on);
}

}  // namespace parcae::runtime
