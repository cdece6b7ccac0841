#pragma once
// The GPU implementation of Collective: gradients summed across a stage's
// replicas with NCCL, straight on device buffers (no trip through the host).
// Compiled only where CMake finds NCCL (PARCAE_HAVE_NCCL: /usr/local/cuda
// here); a GPU worker's StepRunner takes it when every member of its data
// group has a GPU of its own (stage_links.hpp). Not yet run on a GPU (issue 13).
//
// One communicator per data group, made when the layout is made: rank 0 of
// the MPI sub-communicator takes a ncclUniqueId and broadcasts it over MPI,
// every rank calls ncclCommInitRank (a fresh id per regroup rather than
// ncclCommSplit of a parent: after a regroup the parent's ranks may be gone).
// Destroyed with the layout. A NCCL error or a collective that outlasts the
// patience never hangs the job: the wait polls ncclCommGetAsyncError and the
// clock, and aborts the communicator (ncclCommAbort) before throwing.
#ifdef PARCAE_HAVE_NCCL
#include <mpi.h>
#include <nccl.h>

#include <chrono>

#include "parcae/runtime/transport.hpp"

namespace parcae::runtime {

class NcclCollective final : public Collective {
 public:
  // Collective over `data` (every rank of it constructs one together), each
  // rank on its current CUDA device. `patience`: the longest one collective may take.
  NcclCollective(MPI_Comm data, std::chrono::milliseconds patience);
  ~NcclCollective() override;
  NcclCollective(const NcclCollective&) = delete;
  NcclCollective& operator=(const NcclCollective&) = delete;

  // `buffers` are device memory; summed in place, together in one NCCL group.
  void allreduce_sum(std::span<const std::span<float>> buffers) override;
  // Host scalars: over MPI on the same group.
  double sum(double value) override;
  double max(double value) override;

 private:
  void wait_or_abort(const char* what);

  MPI_Comm comm_;
  ncclComm_t nccl_ = nullptr;
  std::chrono::milliseconds patience_;
  bool aborted_ = false;
};

}  // namespace parcae::runtime
#endif  // PARCAE_HAVE_NCCL
