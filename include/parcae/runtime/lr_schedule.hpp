#pragma once
// Learning rate per optimizer step: linear warmup to the peak, then a cosine
// decay to min_lr at the last step (the schedule of GPT-2/3 style training).
namespace parcae::runtime {

struct LrSchedule {
  double peak = 3e-4;
  double min_lr = 3e-5;
  int warmup_steps = 0;
  int total_steps = 1;

  // `step` counts from 0; warmup reaches `peak` at step warmup_steps - 1.
  double at(int step) const;
};

}  // namespace parcae::runtime
