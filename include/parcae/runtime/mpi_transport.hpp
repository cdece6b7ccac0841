#pragma once
// The CPU implementations of Transport and Collective, over MPI.
#include <mpi.h>

#include <vector>

#include "parcae/runtime/transport.hpp"
#include "parcae/runtime/waiting.hpp"

namespace parcae::runtime {

// Non-blocking point-to-point on a pipeline communicator (rank = stage).
// Every wait is polite and reports a long wait to the coordinator (waiting.hpp).
class MpiTransport final : public Transport {
 public:
  explicit MpiTransport(MPI_Comm pipeline, Patience patience = {});
  ~MpiTransport() override { wait_sends(); }
  SendHandle send(std::span<const float> data, int to_stage, int tag) override;
  void recv(std::span<float> data, int from_stage, int tag) override;
  void wait(SendHandle handle) override;
  void wait_sends() override;

 private:
  MPI_Comm comm_;
  Patience patience_;
  std::vector<int> world_rank_;       // of each stage of the pipeline
  std::vector<MPI_Request> pending_;  // by handle; MPI_REQUEST_NULL once done
  std::vector<int> pending_to_;       // the world rank each send goes to
};

// Allreduce on a communicator (the data group: rank = replica), in buckets: each bucket
// is a separate MPI_Iallreduce, all of every buffer in flight together, so one
// large layer does not hold the others back and the library can pipeline them.
class MpiCollective final : public Collective {
 public:
  explicit MpiCollective(MPI_Comm data, std::size_t bucket_floats = 1 << 20,
                         Patience patience = {});
  using Collective::allreduce_sum;
  void allreduce_sum(std::span<const std::span<float>> buffers) override;
  double sum(double value) override;
  double max(double value) override;

 private:
  double reduce(double value, MPI_Op op);
  MPI_Comm comm_;
  std::size_t bucket_floats_;
  Patience patience_;
  std::vector<int> peers_;  // world ranks of the other members
  double scalar_ = 0;       // reduce's buffer (see reduce)
};

}  // namespace parcae::runtime
