#include <fstream>
#include <iostream>
#include <sstream>

#include "command.hpp"
#include "number_option.hpp"
#include "parcae/error.hpp"
#include "parcae/kernels/threads.hpp"

namespace parcae::cli {

bool parse_command_line(int argc, char** argv, const std::string& usage,
                        po::options_description& options,
                        const po::positional_options_description& positional,
                        po::variables_map& vm) {
  po::options_description common("Common options");
  common.add_options()("help,h", "print this help and exit")(
      "config", po::value<std::string>()->value_name("FILE"),
      "read options from an INI file (keys = long option names; the command line wins)");
  po::options_description all;
  all.add(options).add(common);

  po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::cout << usage << "\n\n" << all << "\n";
    return false;
  }
  if (vm.count("config")) {
    const std::string path = vm["config"].as<std::string>();
    std::ifstream in(path);
    if (!in) throw InputError("--config: cannot open '" + path + "'");
    try {
      po::store(po::parse_config_file(in, options), vm);
    } catch (const po::error& e) {
      throw InputError(path + ": " + e.what());
    }
  }
  po::notify(vm);
  return true;
}

bool parse_command_line_on_rank(int rank, int argc, char** argv, const std::string& usage,
                                po::options_description& options, po::variables_map& vm) {
  std::ostringstream quiet;
  auto* saved = std::cout.rdbuf(rank == 0 ? std::cout.rdbuf() : quiet.rdbuf());
  try {
    const bool go = parse_command_line(argc, argv, usage, options, {}, vm);
    std::cout.rdbuf(saved);
    return go;
  } catch (...) {
    std::cout.rdbuf(saved);
    throw;
  }
}

void add_threads_option(po::options_description& options) {
  options.add_options()("threads", number(closed(1, kernels::max_threads())),
                        "threads per process (default: OMP_NUM_THREADS, else every core)");
}

int apply_threads_option(const po::variables_map& vm) {
  return kernels::set_threads(vm.count("threads") ? std::optional(vm["threads"].as<int>())
                                                  : std::nullopt);
}

}  // namespace parcae::cli
