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

MpiTransport::MpiTransport(MPI_Comm pipeline, Patience patience)
    : comm_(pipeline), patience_(patience) {
  int stages = 0;
  MPI_Comm_size(comm_, &stages);
  for (int s = 0; s < stages; ++s) world_rank_.push_back(world_rank_of(comm_, s, patience_.world));
}

Transport::SendHandle MpiTransport::send(std::span<const float> data, int to_stage, int tag) {
  MPI_Request request;
  MPI_Isend(data.data(), count_of(data.size()), MPI_FLOAT, to_stage, tag, comm_, &request);
  pending_.push_back(request);
  pending_to_.push_back(world_rank_.at(to_stage));
  return pending_.size() - 1;
}

void MpiTransport::wait(SendHandle handle) {
  // A no-op on MPI_REQUEST_NULL (a send already waited for).
  wait_politely(std::span(&pending_.at(handle), 1), &patience_, {pending_to_.at(handle)});
}

void MpiTransport::recv(std::span<float> data, int from_stage, int tag) {
  MPI_Request request;
  MPI_Irecv(data.data(), count_of(data.size()), MPI_FLOAT, from_stage, tag, comm_, &request);
  wait_politely(std::span(&request, 1), &patience_, {world_rank_.at(from_stage)});
}

void MpiTransport::wait_sends() {
  if (pending_.empty()) return;
  std::vector<int> peers = pending_to_;
  std::sort(peers.begin(), peers.end());
  peers.erase(std::unique(peers.begin(), peers.end()), peers.end());
  wait_politely(pending_, &patience_, peers);
  pending_.clear();
  pending_to_.clear();
}

MpiCollective::MpiCollective(MPI_Comm data, std::size_t bucket_floats, Patience patience)
    : comm_(data),
      bucket_floats_(bucket_floats),
      patience_(patience),
      peers_(world_ranks_of_others(data, patience.world)) {}

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
  wait_politely(requests, &patience_, peers_);
}

double MpiCollective::reduce(double value, MPI_Op op) {
  if (peers_.empty()) return value;
  // The collective's own buffer, not the stack: a wait given up (a rank died)
  // leaves the operation in flight, and MPI may still write into it.
  scalar_ = value;
  MPI_Request request;
  MPI_Iallreduce(MPI_IN_PLACE, &scalar_, 1, MPI_DOUBLE, op, comm_, &request);
  wait_politely(std::span(&request, 1), &patience_, peers_);
  return scalar_;
}

double MpiCollective::sum(double value) { return reduce(value, MPI_SUM); }

double MpiCollective::max(double value) { return reduce(value, MPI_MAX); }

}  // namespace parcae::runtime
