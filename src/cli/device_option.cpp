#include "device_option.hpp"

#include <variant>

#include "parcae/compute/device_choice.hpp"
#include "parcae/error.hpp"
#include "parcae/kernels/cuda.hpp"

namespace parcae::cli {

void add_device_option(po::options_description& options, const std::string& default_value) {
  options.add_options()("device", po::value<std::string>()->default_value(default_value),
                        "auto (a GPU when one is found), cpu or cuda; one GPU per rank by "
                        "local rank (OMPI_COMM_WORLD_LOCAL_RANK, SLURM_LOCALID)");
}

compute::DeviceRequest device_request_from_option(const po::variables_map& vm) {
  const std::string word = vm["device"].as<std::string>();
  const auto request = compute::parse_device_request(word);
  if (!request) throw InputError("--device '" + word + "': expected auto, cpu or cuda");
  return *request;
}

compute::Backend& backend_from_device_option(const po::variables_map& vm) {
  const auto request = device_request_from_option(vm);
  int local_rank = 0;
  try {
    local_rank = compute::local_rank_from_env();
  } catch (const std::invalid_argument& e) {
    throw InputError(e.what());
  }
  // Only ask CUDA when a GPU could be wanted: --device cpu never touches it.
  const int gpus = request == compute::DeviceRequest::cpu ? 0 : kernels::cuda::device_count();
  const auto choice = compute::choose_device(request, gpus, local_rank,
                                             gpus == 0 ? kernels::cuda::no_device_reason() : "");
  if (const auto* why = std::get_if<std::string>(&choice)) throw InputError(*why);
  return compute::backend_for(std::get<compute::DeviceChoice>(choice));
}

}  // namespace parcae::cli
