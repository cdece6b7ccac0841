// The 1F1B schedule (see schedule.hpp).
#include <algorithm>
#include <stdexcept>

#include "parcae/runtime/schedule.hpp"

namespace parcae::runtime {
namespace {

void add_forward(std::vector<Op>& ops, int m, bool first, bool last) {
  if (!first) ops.push_back({OpKind::recv_activation, m});
  ops.push_back({OpKind::forward, m});
  if (!last) ops.push_back({OpKind::send_activation, m});
}

void add_backward(std::vector<Op>& ops, int m, bool first, bool last) {
  if (!last) ops.push_back({OpKind::recv_gradient, m});
  ops.push_back({OpKind::backward, m});
  if (!first) ops.push_back({OpKind::send_gradient, m});
}

}  // namespace

std::vector<Op> one_f_one_b(int stage, int stages, int micro_batches) {
  if (stages < 1 || stage < 0 || stage >= stages || micro_batches < 1) {
    throw std::invalid_argument("one_f_one_b: need 0 <= stage < stages and micro_batches >= 1");
  }
  const bool first = stage == 0, last = stage == stages - 1;
  const int warmup = std::min(stages - stage - 1, micro_batches);
  std::vector<Op> ops;
  int next_forward = 0, next_backward = 0;
  for (; next_forward < warmup; ++next_forward) add_forward(ops, next_forward, first, last);
  while (next_forward < micro_batches) {
    add_forward(ops, next_forward++, first, last);
    add_backward(ops, next_backward++, first, last);
  }
  while (next_backward < micro_batches) add_backward(ops, next_backward++, first, last);
  return ops;
}

std::string to_string(const Op& op) {
  const char* names[] = {"recvA", "F", "sendA", "recvG", "B", "sendG"};
  return names[static_cast<int>(op.kind)] + std::to_string(op.micro_batch);
}

}  // namespace parcae::runtime
