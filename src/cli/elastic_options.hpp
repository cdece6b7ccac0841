#pragma once
// `parcae train --elastic`: the options of the whole Parcae loop (availability
// replay, policy, migration), beside train's own (cmd_train.cpp).
#include <optional>

#include "command.hpp"
#include "parcae/elastic/job.hpp"

namespace parcae::cli {

void add_elastic_options(po::options_description& options);

// nullopt when the run is not elastic (neither --elastic nor --trace).
// Throws InputError for options that contradict each other (--dp with
// --elastic, both interval options, ...).
std::optional<elastic::ElasticConfig> elastic_config_from(const po::variables_map& vm);

}  // namespace parcae::cli
