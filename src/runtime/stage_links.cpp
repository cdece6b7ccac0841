// Choosing and making a worker's transport and collective (see stage_links.hpp).
#include "parcae/runtime/stage_links.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "parcae/runtime/host_staged.hpp"
#include "parcae/runtime/mpi_transport.hpp"
#include "parcae/runtime/nccl_collective.hpp"

namespace parcae::runtime {

#ifdef PARCAE_HAVE_NCCL
constexpr bool kNcclBuilt = true;
#else
constexpr bool kNcclBuilt = false;
#endif

std::string to_string(DataLink link) {
  switch (link) {
    case DataLink::mpi:
      return "mpi";
    case DataLink::host_staged:
      return "host-staged";
    case DataLink::nccl:
      return "nccl";
  }
  return "unknown";
}

DataLink choose_data_link(compute::Device mine, const std::vector<DeviceSeat>& seats,
                          bool nccl_built) {
  if (mine == compute::Device::cpu) return DataLink::mpi;
  // Alone there is nothing to sum: no NCCL communicator worth making.
  if (seats.size() < 2 || !nccl_built) return DataLink::host_staged;
  std::vector<std::pair<std::string, std::string>> cards;
  for (const DeviceSeat& s : seats) {
    if (s.card.empty()) return DataLink::host_staged;  // a member on the CPU
    cards.emplace_back(s.node, s.card);
  }
  std::sort(cards.begin(), cards.end());
  // NCCL refuses two ranks of one communicator on one GPU.
  if (std::adjacent_find(cards.begin(), cards.end()) != cards.end()) return DataLink::host_staged;
  return DataLink::nccl;
}

DeviceSeat seat_of(const compute::Backend& backend) {
  char name[MPI_MAX_PROCESSOR_NAME] = {};
  int length = 0;
  MPI_Get_processor_name(name, &length);
  return {std::string(name, static_cast<std::size_t>(length)), backend.card()};
}

std::vector<DeviceSeat> exchange_seats(const DeviceSeat& mine, MPI_Comm group) {
  int rank = 0, size = 1;
  MPI_Comm_rank(group, &rank);
  MPI_Comm_size(group, &size);
  DeviceSeats all;
  if (rank == 0) {
    all.seats.push_back(mine);
    for (int r = 1; r < size; ++r) all.seats.push_back(receive<DeviceSeat>(r, group));
  } else {
    send(mine, 0, group);
  }
  return broadcast(all, 0, group).seats;
}

StageLinks make_stage_links(compute::Backend& backend, const Groups& groups,
                            std::size_t bucket_floats, const Patience& patience) {
  StageLinks links;
  const bool gpu = backend.device() == compute::Device::cuda;
  if (gpu) {
    links.pipeline = std::make_unique<HostStagedTransport>(backend, groups.pipeline(), patience);
  } else {
    links.pipeline = std::make_unique<MpiTransport>(groups.pipeline(), patience);
  }
  std::vector<DeviceSeat> seats;
  if (groups.dp() > 1) seats = exchange_seats(seat_of(backend), groups.data());
  links.data_link = choose_data_link(backend.device(), seats, kNcclBuilt);
  switch (links.data_link) {
    case DataLink::mpi:
      links.data = std::make_unique<MpiCollective>(groups.data(), bucket_floats, patience);
      break;
    case DataLink::host_staged:
      links.data =
          std::make_unique<HostStagedCollective>(backend, groups.data(), bucket_floats, patience);
      break;
    case DataLink::nccl:
#ifdef PARCAE_HAVE_NCCL
      links.data = std::make_unique<NcclCollective>(
          groups.data(), std::chrono::milliseconds(static_cast<long long>(patience.stall_s * 1e3)));
#endif
      break;
  }
  return links;
}

}  // namespace parcae::runtime
