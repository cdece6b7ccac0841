// The end of a step: every rule that asks for a checkpoint, and a stop that
// outranks them (the ranks take the strongest wish).
#include "parcae/runtime/step_end.hpp"

#include <gtest/gtest.h>

namespace parcae::runtime {
namespace {

constexpr StepEnd kOn = StepEnd::train_on, kSave = StepEnd::checkpoint,
                  kStop = StepEnd::checkpoint_and_stop;

TEST(StepEnd, NothingScheduledTrainsOn) {
  for (int step = 0; step < 10; ++step) EXPECT_EQ(wished_step_end({}, step, 10, 1e9, kOn), kOn);
}

TEST(StepEnd, EveryNStepsCountsCompletedSteps) {
  const CheckpointSchedule every3{.every_steps = 3};
  std::vector<int> saved;
  for (int step = 0; step < 10; ++step)
    if (wished_step_end(every3, step, 10, 0, kOn) == kSave) saved.push_back(step);
  EXPECT_EQ(saved, (std::vector<int>{2, 5, 8}));  // after 3, 6 and 9 steps
}

TEST(StepEnd, TheClockAsksOnceItsTimeHasPassed) {
  const CheckpointSchedule every60s{.every_seconds = 60};
  EXPECT_EQ(wished_step_end(every60s, 4, 10, 59.9, kOn), kOn);
  EXPECT_EQ(wished_step_end(every60s, 4, 10, 60.0, kOn), kSave);
}

TEST(StepEnd, TheLastStepSavesWhenAsked) {
  EXPECT_EQ(wished_step_end({.at_end = true}, 9, 10, 0, kOn), kSave);
  EXPECT_EQ(wished_step_end({.at_end = true}, 8, 10, 0, kOn), kOn);
  EXPECT_EQ(wished_step_end({.at_end = false}, 9, 10, 0, kOn), kOn);
}

TEST(StepEnd, RequestsOutrankTheSchedule) {
  EXPECT_EQ(wished_step_end({}, 0, 10, 0, kSave), kSave);
  EXPECT_EQ(wished_step_end({.every_steps = 1}, 0, 10, 0, kStop), kStop);
  EXPECT_EQ(strongest(kSave, kStop), kStop);
  EXPECT_EQ(strongest(kOn, kSave), kSave);
}

}  // namespace
}  // namespace parcae::runtime
