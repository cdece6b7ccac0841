// --device: the pure choice, and the environment's local rank.
#include "parcae/compute/device_choice.hpp"

#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace parcae::compute {

std::optional<DeviceRequest> parse_device_request(std::string_view text) {
  if (text == "auto") return DeviceRequest::automatic;
  if (text == "cpu") return DeviceRequest::cpu;
  if (text == "cuda") return DeviceRequest::cuda;
  return std::nullopt;
}

int local_rank_from_env() {
  for (const char* name : {"OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID"}) {
    const char* value = std::getenv(name);
    if (value == nullptr) continue;
    const std::string_view text(value);
    int rank = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), rank);
    if (ec != std::errc() || end != text.data() + text.size() || rank < 0)
      throw std::invalid_argument(std::string(name) + "='" + value +
                                  "' is not a local rank (a number >= 0)");
    return rank;
  }
  return 0;
}

std::variant<DeviceChoice, std::string> choose_device(DeviceRequest request, int gpu_count,
                                                      int local_rank,
                                                      const std::string& no_gpu_reason) {
  if (request == DeviceRequest::cpu || (request == DeviceRequest::automatic && gpu_count == 0))
    return DeviceChoice{};
  if (gpu_count == 0) return "--device cuda: " + no_gpu_reason;
  return DeviceChoice{Device::cuda, local_rank % gpu_count};
}

}  // namespace parcae::compute
