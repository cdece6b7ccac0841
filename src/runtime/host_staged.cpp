// Device tensors over MPI through host staging buffers (see host_staged.hpp).
#include "parcae/runtime/host_staged.hpp"

#include <algorithm>
#include <stdexcept>

namespace parcae::runtime {

StagingPool::~StagingPool() {
  for (const Buffer& b : buffers_) backend_.release_staging(b.data);
}

float* StagingPool::take(std::size_t floats) {
  for (Buffer& b : buffers_) {
    if (!b.in_use && b.floats >= floats) {
      b.in_use = true;
      return b.data;
    }
  }
  auto* data = static_cast<float*>(backend_.allocate_staging(std::max<std::size_t>(floats, 1) *
                                                             sizeof(float)));
  buffers_.push_back({data, floats, true});
  return data;
}

void StagingPool::give_back(float* buffer) {
  for (Buffer& b : buffers_) {
    if (b.data == buffer) {
      b.in_use = false;
      return;
    }
  }
  throw std::logic_error("StagingPool::give_back: a buffer this pool never handed out");
}

HostStagedTransport::HostStagedTransport(compute::Backend& backend, MPI_Comm pipeline,
                                         Patience patience)
    : backend_(backend), pool_(backend), mpi_(pipeline, patience) {}

Transport::SendHandle HostStagedTransport::send(std::span<const float> data, int to_stage,
                                                int tag) {
  float* staged = pool_.take(data.size());
  backend_.to_host(staged, data.data(), data.size_bytes());  // waits for the kernels writing it
  const SendHandle handle = mpi_.send({staged, data.size()}, to_stage, tag);
  sending_[handle] = staged;
  return handle;
}

void HostStagedTransport::recv(std::span<float> data, int from_stage, int tag) {
  float* staged = pool_.take(data.size());
  // A wait given up (it throws) leaves the receive in flight, writing into
  // `staged`: the buffer then stays taken, never handed out again.
  mpi_.recv({staged, data.size()}, from_stage, tag);
  backend_.to_device(data.data(), staged, data.size_bytes());
  pool_.give_back(staged);
}

void HostStagedTransport::wait(SendHandle handle) {
  mpi_.wait(handle);
  if (const auto it = sending_.find(handle); it != sending_.end()) {
    pool_.give_back(it->second);
    sending_.erase(it);
  }
}

void HostStagedTransport::wait_sends() {
  mpi_.wait_sends();
  for (const auto& [handle, staged] : sending_) pool_.give_back(staged);
  sending_.clear();
}

HostStagedCollective::HostStagedCollective(compute::Backend& backend, MPI_Comm data,
                                           std::size_t bucket_floats, Patience patience)
    : backend_(backend), pool_(backend), mpi_(data, bucket_floats, patience) {
  MPI_Comm_size(data, &members_);
}

void HostStagedCollective::allreduce_sum(std::span<const std::span<float>> buffers) {
  if (members_ == 1) return;  // nothing to add: no trip through the host
  std::size_t total = 0;
  for (const auto data : buffers) total += data.size();
  float* staged = pool_.take(total);
  // One host span per device buffer, so MpiCollective cuts the same buckets
  // as it does for a CPU rank's gradients (and the sums agree with its).
  std::vector<std::span<float>> host;
  float* next = staged;
  for (const auto data : buffers) {
    backend_.to_host(next, data.data(), data.size_bytes());
    host.emplace_back(next, data.size());
    next += data.size();
  }
  mpi_.allreduce_sum(host);
  for (std::size_t i = 0; i < buffers.size(); ++i)
    backend_.to_device(buffers[i].data(), host[i].data(), buffers[i].size_bytes());
  pool_.give_back(staged);
}

}  // namespace parcae::runtime
