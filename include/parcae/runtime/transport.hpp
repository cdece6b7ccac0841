#pragma once
// How stages and replicas exchange tensors, behind small interfaces so that
// the same worker code runs over MPI on CPU ranks and over NCCL on GPUs.
#include <cstddef>
#include <span>

namespace parcae::runtime {

// Point-to-point between pipeline neighbours: activations forward, their
// gradients backward. Sends are non-blocking: the buffer stays untouched until
// wait(handle) or wait_sends(); a receive blocks until its message is in.
class Transport {
 public:
  using SendHandle = std::size_t;
  virtual ~Transport() = default;
  virtual SendHandle send(std::span<const float> data, int to_stage, int tag) = 0;
  virtual void recv(std::span<float> data, int from_stage, int tag) = 0;
  // Waits for one send (a stage reusing a buffer waits for just that send:
  // waiting for all could stall on a neighbour that is not ready yet).
  virtual void wait(SendHandle handle) = 0;
  virtual void wait_sends() = 0;
};

// Reductions over a group of ranks: a stage's gradients summed across its
// replicas (the data group), and the scalars a pipeline agrees on (the global
// gradient norm's square, the slowest stage's compute time).
class Collective {
 public:
  virtual ~Collective() = default;
  // In-place sums over the group, all buffers in flight together.
  virtual void allreduce_sum(std::span<const std::span<float>> buffers) = 0;
  void allreduce_sum(std::span<float> data) { allreduce_sum(std::span(&data, 1)); }
  // One value per rank in, the group's sum or maximum out, on every rank.
  virtual double sum(double value) = 0;
  virtual double max(double value) = 0;
};

}  // namespace parcae::runtime
