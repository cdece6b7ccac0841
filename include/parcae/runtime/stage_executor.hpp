#pragma once
// Runs one pipeline stage's share of a step: the 1F1B op list (schedule.hpp)
// turned into kernel calls and messages. It keeps one activation set per
// micro-batch in flight (at most P - s of them, plus one of slack so a buffer
// is never rewritten while its send may still be reading it).
#include <functional>
#include <span>
#include <vector>

#include "parcae/compute/stage.hpp"
#include "parcae/runtime/transport.hpp"

namespace parcae::runtime {

// Fills the tokens and targets ([B*T] each) of local micro-batch m.
using BatchSource = std::function<void(int m, std::span<int> tokens, std::span<int> targets)>;

class StageExecutor {
 public:
  // `transport` may be null when the pipeline has one stage.
  StageExecutor(compute::Stage& stage, Transport* transport, int stage_index, int stages, int B,
                int T);

  // Forward and backward of `micro_batches` micro-batches; gradients accumulate
  // in the stage (each position's loss weighs `dloss`). Returns the sum of the
  // micro-batches' mean losses on the last stage, 0 elsewhere.
  double train(int micro_batches, const BatchSource& source, float dloss);

  // Forward only (validation). Same return value as train.
  double evaluate(int micro_batches, const BatchSource& source);

  // Milliseconds the last train() spent computing (forwards and backwards),
  // without waiting for neighbours: the stage's share of the pipeline's work.
  double last_compute_ms() const { return compute_ms_; }

 private:
  struct Slot {
    compute::StageActivations acts;
    std::vector<int> tokens, targets;  // on the host, from the BatchSource
    compute::DeviceArray<float> input;  // activation received from the previous stage
    compute::DeviceArray<float> dinp;   // gradient sent back to it
    Transport::SendHandle act_send = kNone, grad_send = kNone;
  };
  static constexpr Transport::SendHandle kNone = static_cast<Transport::SendHandle>(-1);

  Slot& slot_for(int m) { return slots_[m % slots_.size()]; }
  void ensure_slots(int count);
  void wait(Transport::SendHandle& handle);
  double forward(Slot& slot, int m, const BatchSource& source);
  model::MicroBatch micro_batch(const Slot& slot) const;

  compute::Stage& stage_;
  Transport* transport_;
  int s_, P_, B_, T_;
  bool first_, last_;
  std::size_t act_floats_;  // B x T x C: one micro-batch's activation between stages
  std::vector<Slot> slots_;
  compute::DeviceArray<float> dout_;  // gradient received from the next stage
  double compute_ms_ = 0;
};

}  // namespace parcae::runtime
