#pragma once
// How stages and replicas exchange tensors, behind small interfaces so that
// the same worker code runs over MPI on CPU ranks and over NCCL on GPUs.
#include <cstddef>
#include <span>

namespace parcae::runtime {

// Point-to-point between pipeline neighbours: activations forward, their
// gradients backward. Sends are non-blocking (the buffer must stay untouched
// until wait_sends); a receive blocks until its message is in.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual void send(std::span<const float> data, int to_stage, int tag) = 0;
  virtual void recv(std::span<float> data, int from_stage, int tag) = 0;
  virtual void wait_sends() = 0;
};

// Data-parallel reduction of a stage's gradients across its replicas.
class Collective {
 public:
  virtual ~Collective() = default;
  // In-place sum over the replicas of this stage.
  virtual void allreduce_sum(std::span<float> data) = 0;
};

}  // namespace parcae::runtime
