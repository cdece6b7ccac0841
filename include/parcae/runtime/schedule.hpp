#pragma once
// The 1F1B pipeline schedule (PipeDream-flush) as a pure function: the ordered
// list of operations one stage runs for one optimizer step of M micro-batches.
// Stage s first runs min(P - s - 1, M) warm-up forwards, then alternates one
// forward and one backward, then drains the remaining backwards. So at most
// P - s micro-batches' activations are alive on stage s at any time, which is
// what bounds pipeline memory, and the last stage turns every forward straight
// into its backward.
#include <string>
#include <vector>

namespace parcae::runtime {

enum class OpKind {
  recv_activation,  // from stage s-1: the input of micro-batch m
  forward,
  send_activation,  // to stage s+1
  recv_gradient,    // from stage s+1: d(loss)/d(output) of micro-batch m
  backward,
  send_gradient,    // to stage s-1
};

struct Op {
  OpKind kind;
  int micro_batch;
  bool operator==(const Op&) const = default;
};

std::vector<Op> one_f_one_b(int stage, int stages, int micro_batches);

std::string to_string(const Op& op);  // "F3", "recvA0", ...

}  // namespace parcae::runtime
