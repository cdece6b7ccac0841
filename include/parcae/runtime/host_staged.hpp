#pragma once
// Tensors in a device's memory travelling over MPI through the host: each
// send copies the device buffer into a staging buffer (page-locked on a GPU)
// and sends that; each receive lands in one and is copied to the device. The
// Open MPI here is not CUDA-aware, so this is how a GPU rank talks to a
// neighbour whatever the neighbour computes on (a CPU rank's plain MPI
// messages are the same bytes). The gradient sum over a data group goes this
// way too when NCCL cannot take the group (ranks sharing a GPU, a CPU member,
// a build without NCCL; stage_links.hpp).
#include <mpi.h>

#include <cstddef>
#include <map>
#include <span>
#include <vector>

#include "parcae/compute/backend.hpp"
#include "parcae/runtime/mpi_transport.hpp"

namespace parcae::runtime {

// Staging buffers of one backend, kept for reuse (page-locking is slow: a
// step sends the same sizes again and again).
class StagingPool {
 public:
  explicit StagingPool(compute::Backend& backend) : backend_(backend) {}
  ~StagingPool();
  StagingPool(const StagingPool&) = delete;
  StagingPool& operator=(const StagingPool&) = delete;

  // A buffer of at least `floats` floats, not handed out again until given back.
  float* take(std::size_t floats);
  void give_back(float* buffer);

 private:
  struct Buffer {
    float* data;
    std::size_t floats;
    bool in_use;
  };
  compute::Backend& backend_;
  std::vector<Buffer> buffers_;
};

// Transport (transport.hpp) for device buffers, over an MpiTransport.
class HostStagedTransport final : public Transport {
 public:
  HostStagedTransport(compute::Backend& backend, MPI_Comm pipeline, Patience patience = {});
  SendHandle send(std::span<const float> data, int to_stage, int tag) override;
  void recv(std::span<float> data, int from_stage, int tag) override;
  void wait(SendHandle handle) override;
  void wait_sends() override;

 private:
  compute::Backend& backend_;
  // Declared before mpi_, so destroyed after it: mpi_'s destructor waits for
  // the sends still reading the pool's buffers.
  StagingPool pool_;
  MpiTransport mpi_;
  std::map<SendHandle, float*> sending_;  // the staging buffer of each send in flight
};

// Collective (transport.hpp) for device buffers: copied to the host, summed by
// an MpiCollective with its buckets (the same sums as the CPU path's), copied back.
class HostStagedCollective final : public Collective {
 public:
  HostStagedCollective(compute::Backend& backend, MPI_Comm data, std::size_t bucket_floats,
                       Patience patience = {});
  using Collective::allreduce_sum;
  void allreduce_sum(std::span<const std::span<float>> buffers) override;
  double sum(double value) override { return mpi_.sum(value); }
  double max(double value) override { return mpi_.max(value); }

 private:
  compute::Backend& backend_;
  int members_ = 1;
  StagingPool pool_;
  MpiCollective mpi_;
};

}  // namespace parcae::runtime
