#pragma once
// --device auto|cpu|cuda for the commands that compute (see
// compute/device_choice.hpp): parsed, resolved against the GPUs this process
// sees and its local rank, and turned into a backend. An unknown word, or cuda
// where there is no GPU, is bad input (exit 2) with the reason.
#include <string>

#include "command.hpp"
#include "parcae/compute/backend.hpp"

namespace parcae::cli {

void add_device_option(po::options_description& options, const std::string& default_value);
compute::Backend& backend_from_device_option(const po::variables_map& vm);

}  // namespace parcae::cli
