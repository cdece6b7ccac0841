// MPI point-to-point and bucketed allreduce (see mpi_transport.hpp).
#include "parcae/runtime/mpi_transport.hpp"

#include <algorithm>
#include <climits>
#include <stdexcept>

namespace parcae::runtime {
namespace {

int count_of(std::size_t n) {
  if (n > static_cast<std::size_t>(INT_MAX)) throw std::length_error("message over 2^31 floats");
  return static_cast<int>(n);
}

}  // namespace

Transport::SendHandle MpiTransport::send(std::span<const float> data, int to_stage, int tag) {
  MPI_Request request;
  MPI_Isend(data.data(), count_of(data.size()), MPI_FLOAT, to_stage, tag, comm_, &request);
  pending_.push_back(request);
  return pending_.size() - 1;
}

void MpiTransport::wait(SendHandle handle) {
  MPI_Wait(&pending_.at(handle), MPI_STATUS_IGNORE);  // a no-op on MPI_REQUEST_NULL
}

void MpiTransport::recv(std::span<float> data, int from_stage, int tag) {
  MPI_Recv(data.data(), count_of(data.size()), MPI_FLOAT, from_stage, tag, comm_,
           MPI_STATUS_IGNORE);
}

void MpiTransport::wait_sends() {
  if (pending_.empty()) return;
  MPI_Waitall(static_cast<int>(pending_.size()), pending_.data(), MPI_STATUSES_IGNORE);
  pending_.clear();
}

void MpiCollective::allreduce_sum(std::span<const std::span<float>> buffers) {
  int replicas = 1;
  MPI_Comm_size(comm_, &replicas);
  if (replicas == 1) return;
  std::vector<MPI_Request> requests;
  for (const auto data : buffers) {
    for (std::size_t start = 0; start < data.size(); start += bucket_floats_) {
      const std::size_t n = std::min(bucket_floats_, data.size() - start);
      requests.emplace_back();
      MPI_Iallreduce(MPI_IN_PLACE, data.data() + start, count_of(n), MPI_FLOAT, MPI_SUM, comm_,
                     &requests.back());
    }
  }
  MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
}

double MpiCollective::sum(double value) {
  MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_SUM, comm_);
  return value;
}

double MpiCollective::max(double value) {
  MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_MAX, comm_);
  return value;
}

}  // namespace parcae::runtime
