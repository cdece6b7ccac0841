// Data-parallel gradient sums with NCCL (see nccl_collective.hpp). Every NCCL
// and CUDA call is checked; the message names the call, file and line.
#include "parcae/runtime/nccl_collective.hpp"

#ifdef PARCAE_HAVE_NCCL
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>
#include <thread>

namespace parcae::runtime {

namespace {

std::string where(const char* file, int line, const char* call) {
  return std::string(file) + ":" + std::to_string(line) + ": " + call + ": ";
}

void check_nccl(ncclResult_t r, const char* file, int line, const char* call) {
  if (r != ncclSuccess) throw std::runtime_error(where(file, line, call) + ncclGetErrorString(r));
}

void check_cuda(cudaError_t e, const char* file, int line, const char* call) {
  if (e != cudaSuccess) throw std::runtime_error(where(file, line, call) + cudaGetErrorString(e));
}

void check_mpi(int rc, const char* file, int line, const char* call) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(where(file, line, call) + "MPI error " +
                                                  std::to_string(rc));
}

#define PARCAE_NCCL_CHECK(call) check_nccl((call), __FILE__, __LINE__, #call)
#define PARCAE_CUDA_CALL(call) check_cuda((call), __FILE__, __LINE__, #call)
#define PARCAE_MPI_CALL(call) check_mpi((call), __FILE__, __LINE__, #call)

}  // namespace

NcclCollective::NcclCollective(MPI_Comm data, std::chrono::milliseconds patience)
    : comm_(data), patience_(patience) {
  int rank = 0, size = 1;
  PARCAE_MPI_CALL(MPI_Comm_rank(comm_, &rank));
  PARCAE_MPI_CALL(MPI_Comm_size(comm_, &size));
  ncclUniqueId id{};
  if (rank == 0) PARCAE_NCCL_CHECK(ncclGetUniqueId(&id));
  PARCAE_MPI_CALL(MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, comm_));
  PARCAE_NCCL_CHECK(ncclCommInitRank(&nccl_, size, id, rank));
}

NcclCollective::~NcclCollective() {
  if (nccl_ != nullptr && !aborted_) ncclCommDestroy(nccl_);
}

void NcclCollective::allreduce_sum(std::span<const std::span<float>> buffers) {
  PARCAE_NCCL_CHECK(ncclGroupStart());
  for (const auto data : buffers)
    PARCAE_NCCL_CHECK(ncclAllReduce(data.data(), data.data(), data.size(), ncclFloat, ncclSum,
                                    nccl_, /*stream=*/0));
  PARCAE_NCCL_CHECK(ncclGroupEnd());
  wait_or_abort("ncclAllReduce");
}

// Polls instead of blocking in cudaStreamSynchronize: a peer that died leaves
// the collective waiting forever, and only an abort gets us out.
void NcclCollective::wait_or_abort(const char* what) {
  const auto deadline = std::chrono::steady_clock::now() + patience_;
  for (;;) {
    const cudaError_t state = cudaStreamQuery(0);
    if (state == cudaSuccess) return;
    if (state != cudaErrorNotReady) PARCAE_CUDA_CALL(state);
    ncclResult_t async = ncclSuccess;
    PARCAE_NCCL_CHECK(ncclCommGetAsyncError(nccl_, &async));
    const bool late = std::chrono::steady_clock::now() > deadline;
    if (async != ncclSuccess || late) {
      ncclCommAbort(nccl_);
      aborted_ = true;
      throw std::runtime_error(std::string(what) + ": " +
                               (late ? "no result within " + std::to_string(patience_.count()) +
                                           " ms; communicator aborted"
                                     : std::string(ncclGetErrorString(async)) +
                                           "; communicator aborted"));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

double NcclCollective::sum(double value) {
  PARCAE_MPI_CALL(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_SUM, comm_));
  return value;
}

double NcclCollective::max(double value) {
  PARCAE_MPI_CALL(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_MAX, comm_));
  return value;
}

}  // namespace parcae::runtime
#endif  // PARCAE_HAVE_NCCL
