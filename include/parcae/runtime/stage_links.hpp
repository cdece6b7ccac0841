#pragma once
// How a worker's tensors travel, chosen from where it computes:
//
//   - activations and their gradients to the pipeline neighbours: MPI on a
//     CPU rank; through host staging buffers on a GPU rank (host_staged.hpp).
//     NCCL's ncclSend/ncclRecv would skip the host; not done yet: they
//     serialise on the stream the kernels run on, which the 1F1B schedule's
//     non-blocking sends (transport.hpp) do not assume.
//   - the data group's gradient sum: MPI on a CPU rank; NCCL on device
//     buffers (nccl_collective.hpp) when every member of the group computes
//     on a GPU of its own; otherwise through the host (ranks sharing a GPU,
//     which NCCL refuses; a member on the CPU; a build without NCCL).
//
// A CPU rank's links are exactly the plain MpiTransport and MpiCollective, so
// training on the CPU computes what it computed before GPUs came in.
#include <memory>
#include <string>
#include <vector>

#include "parcae/compute/backend.hpp"
#include "parcae/runtime/groups.hpp"
#include "parcae/runtime/messages.hpp"
#include "parcae/runtime/transport.hpp"

namespace parcae::runtime {

enum class DataLink { mpi, host_staged, nccl };
std::string to_string(DataLink link);  // "mpi", "host-staged", "nccl"

// The data group's link for a member computing on `mine`, from every member's
// seat (the same list on every member, so they all choose alike; a CPU
// member's MPI messages meet a GPU member's host-staged ones). Pure.
DataLink choose_data_link(compute::Device mine, const std::vector<DeviceSeat>& seats,
                          bool nccl_built);

// This process's seat: its node and `backend`'s card.
DeviceSeat seat_of(const compute::Backend& backend);

// Collective over `group`: every member's seat, by rank in it (the first
// member gathers them and broadcasts the list).
std::vector<DeviceSeat> exchange_seats(const DeviceSeat& mine, MPI_Comm group);

struct StageLinks {
  std::unique_ptr<Transport> pipeline;  // to the neighbouring stages
  std::unique_ptr<Collective> data;     // the stage across the replicas
  DataLink data_link = DataLink::mpi;
};

// The links of a worker computing on `backend` in the layout `groups` was
// last regrouped with. Collective over the data group (every member calls it
// together: the seats are exchanged when the group has several members).
StageLinks make_stage_links(compute::Backend& backend, const Groups& groups,
                            std::size_t bucket_floats, const Patience& patience);

}  // namespace parcae::runtime
