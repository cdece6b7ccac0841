#pragma once
// `--device auto|cpu|cuda`: which backend a worker rank computes on. The
// choice itself is pure (a request, the GPUs this process sees, its local
// rank); only backend_for touches a device.
//   auto: CUDA when a GPU is found, else the CPU.
//   cuda: a GPU, or an error saying why there is none (the caller exits 2).
// One GPU per rank, by local rank on the node (OMPI_COMM_WORLD_LOCAL_RANK,
// Slurm's SLURM_LOCALID): GPU local_rank mod count, so more ranks than GPUs
// share them (the equivalence tests run several ranks on one GPU).
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "parcae/compute/backend.hpp"

namespace parcae::compute {

enum class DeviceRequest { automatic, cpu, cuda };

// "auto", "cpu", "cuda"; nullopt for anything else.
std::optional<DeviceRequest> parse_device_request(std::string_view text);

// The local rank from the launcher's environment (Open MPI, then Slurm); 0
// when neither is set. A value that is not a number is an error.
int local_rank_from_env();

struct DeviceChoice {
  Device device = Device::cpu;
  int gpu = -1;  // the CUDA device index, when device == cuda
};

// `no_gpu_reason` says why gpu_count is 0 (kernels::cuda::no_device_reason()).
// Returns the choice, or the message for an impossible request.
std::variant<DeviceChoice, std::string> choose_device(DeviceRequest request, int gpu_count,
                                                      int local_rank,
                                                      const std::string& no_gpu_reason);

// The backend of a choice: cpu_backend(), or the (one per process) CUDA
// backend on GPU choice.gpu. Throws in a build without CUDA.
Backend& backend_for(const DeviceChoice& choice);

}  // namespace parcae::compute
