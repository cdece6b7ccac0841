// One stage's 1F1B step as kernel calls and messages (see stage_executor.hpp).
#include "parcae/runtime/stage_executor.hpp"

#include <algorithm>
#include <chrono>

#include "parcae/runtime/schedule.hpp"

namespace parcae::runtime {
namespace {

// Activations and their gradients travel on different tags, so a stage that
// sends both ways to one neighbour can never confuse them.
int activation_tag(int m) { return 2 * m; }
int gradient_tag(int m) { return 2 * m + 1; }

using Clock = std::chrono::steady_clock;
double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

StageExecutor::StageExecutor(compute::Stage& stage, Transport* transport, int stage_index,
                             int stages, int B, int T)
    : stage_(stage),
      transport_(transport),
      s_(stage_index),
      P_(stages),
      B_(B),
      T_(T),
      first_(stage_index == 0),
      last_(stage_index == stages - 1),
      act_floats_(static_cast<std::size_t>(B) * T * stage.config().channels) {
  if (!last_) dout_ = compute::DeviceArray<float>(stage.backend(), act_floats_);
}

void StageExecutor::ensure_slots(int count) {
  const std::size_t n = static_cast<std::size_t>(B_) * T_;
  while (static_cast<int>(slots_.size()) < count) {
    Slot slot{stage_.make_activations(B_, T_), std::vector<int>(n), std::vector<int>(n), {}, {}};
    if (!first_) {
      slot.input = compute::DeviceArray<float>(stage_.backend(), act_floats_);
      slot.dinp = compute::DeviceArray<float>(stage_.backend(), act_floats_);
    }
    slots_.push_back(std::move(slot));
  }
}

void StageExecutor::wait(Transport::SendHandle& handle) {
  if (handle != kNone) transport_->wait(handle);
  handle = kNone;
}

model::MicroBatch StageExecutor::micro_batch(const Slot& slot) const {
  return {slot.tokens.data(), slot.targets.data(), B_, T_};
}

double StageExecutor::forward(Slot& slot, int m, const BatchSource& source) {
  wait(slot.act_send);  // the slot's previous output may still be on its way
  source(m, slot.tokens, slot.targets);
  return stage_.forward(slot.acts, micro_batch(slot), first_ ? nullptr : slot.input.data());
}

double StageExecutor::train(int micro_batches, const BatchSource& source, float dloss) {
  ensure_slots(std::min(micro_batches, P_ - s_ + 1));
  double loss = 0.0;
  compute_ms_ = 0.0;
  for (const Op& op : one_f_one_b(s_, P_, micro_batches)) {
    Slot& slot = slot_for(op.micro_batch);
    const bool computes = op.kind == OpKind::forward || op.kind == OpKind::backward;
    const auto start = computes ? Clock::now() : Clock::time_point{};
    switch (op.kind) {
      case OpKind::recv_activation:
        transport_->recv(slot.input.span(), s_ - 1, activation_tag(op.micro_batch));
        break;
      case OpKind::forward:
        loss += forward(slot, op.micro_batch, source);
        break;
      case OpKind::send_activation:
        slot.act_send = transport_->send(
            {stage_.output(slot.acts), act_floats_}, s_ + 1, activation_tag(op.micro_batch));
        break;
      case OpKind::recv_gradient:
        transport_->recv(dout_.span(), s_ + 1, gradient_tag(op.micro_batch));
        break;
      case OpKind::backward:
        if (!first_) wait(slot.grad_send);
        stage_.backward(slot.acts, first_ ? nullptr : slot.input.data(),
                        last_ ? nullptr : dout_.data(), dloss, first_ ? nullptr : slot.dinp.data());
        break;
      case OpKind::send_gradient:
        slot.grad_send = transport_->send(slot.dinp.span(), s_ - 1, gradient_tag(op.micro_batch));
        break;
    }
    if (computes) compute_ms_ += ms_between(start, Clock::now());
  }
  if (transport_) transport_->wait_sends();
  for (auto& slot : slots_) slot.act_send = slot.grad_send = kNone;
  return last_ ? loss : 0.0;
}

double StageExecutor::evaluate(int micro_batches, const BatchSource& source) {
  ensure_slots(std::min(micro_batches, 2));
  double loss = 0.0;
  for (int m = 0; m < micro_batches; ++m) {
    Slot& slot = slot_for(m);
    if (!first_) transport_->recv(slot.input.span(), s_ - 1, activation_tag(m));
    loss += forward(slot, m, source);
    if (!last_) {
      slot.act_send = transport_->send({stage_.output(slot.acts), act_floats_}, s_ + 1,
                                       activation_tag(m));
    }
  }
  if (transport_) transport_->wait_sends();
  for (auto& slot : slots_) slot.act_send = kNone;
  return last_ ? loss : 0.0;
}

}  // namespace parcae::runtime
