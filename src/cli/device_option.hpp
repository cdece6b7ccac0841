#pragma once
// --device auto|cpu|cuda for the commands that compute (see
// compute/device_choice.hpp): parsed, resolved against the GPUs this process
// sees and its local rank, and turned into a backend. An unknown word, or cuda
// where there is no GPU, is bad input (exit 2) with the reason.
#include <string>

#include "command.hpp"
#include "parcae/compute/backend.hpp"
#include "parcae/compute/device_choice.hpp"

namespace parcae::cli {

void add_device_option(po::options_description& options, const std::string& default_value);
// The word alone, checked: a rank that never computes (train's coordinator)
// still refuses a bad word, without asking CUDA for GPUs.
compute::DeviceRequest device_request_from_option(const po::variables_map& vm);
// The word resolved on this process: its backend.
compute::Backend& backend_from_device_option(const po::variables_map& vm);

}  // namespace parcae::cli
