#include <map>
#include <iostream>
#include <sstream>

#include "command.hpp"
#include "number_option.hpp"
#include "parcae/error.hpp"
#include "parcae/kernels/threads.hpp"
#include "parcae/util/input_file.hpp"
#include "parcae/util/text.hpp"

namespace parcae::cli {
namespace {

// An INI file of `key = value` lines (keys = long option names; # and ;
// start comments), stored line by line so that every error names its line:
// an unknown key, a bad value, a key given twice, a line that is not an
// assignment. Values already in `vm` (the command line) win.
void store_config_file(const std::string& path, const po::options_description& options,
                       po::variables_map& vm) {
  auto in = util::open_input(path, "config file");
  util::skip_bom(in);
  std::map<std::string, long> first_line;
  std::string raw;
  for (long line = 1; std::getline(in, raw); ++line) {
    const std::string_view text = util::trim(raw);
    if (text.empty() || text.front() == '#' || text.front() == ';') continue;
    if (text.front() == '[')
      throw input_error_at(path, line, "sections are not used: keys are the long option names");
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || util::trim(text.substr(0, eq)).empty())
      throw input_error_at(path, line, "expected 'key = value', got '" + std::string(text) + "'");
    const std::string key(util::trim(text.substr(0, eq)));
    if (const auto seen = first_line.find(key); seen != first_line.end())
      throw input_error_at(path, line,
                           "'" + key + "' given twice (first on line " +
                               std::to_string(seen->second) + ")");
    first_line[key] = line;
    std::istringstream one(std::string(text) + "\n");
    try {
      po::store(po::parse_config_file(one, options), vm);
    } catch (const po::error& e) {
      throw input_error_at(path, line, e.what());
    }
  }
  if (in.bad()) throw IoError(path + ": read error");
}

}  // namespace

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
  if (vm.count("config")) store_config_file(vm["config"].as<std::string>(), options, vm);
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

util::Outputs check_outputs(const po::variables_map& vm, std::initializer_list<const char*> inputs,
                            std::initializer_list<OutputOption> outputs) {
  util::Outputs checked;
  if (vm.count("config")) checked.input("--config", vm["config"].as<std::string>());
  for (const char* name : inputs)
    if (vm.count(name)) checked.input(std::string("--") + name, vm[name].as<std::string>());
  for (const auto& out : outputs)
    if (vm.count(out.name))
      checked.output(std::string("--") + out.name, vm[out.name].as<std::string>(),
                     out.stdout_allowed);
  return checked;
}

void add_threads_option(po::options_description& options) {
  options.add_options()("threads", number(closed(1, kernels::max_threads())),
                        "threads per process (default: OMP_NUM_THREADS, else every core)");
}

int apply_threads_option(const po::variables_map& vm) {
  return kernels::set_threads(vm.count("threads") ? std::optional(vm["threads"].as<int>())
                                                  : std::nullopt);
}

int run_action(int argc, char** argv, const std::string& command, const std::string& usage,
               std::initializer_list<Action> actions) {
  if (argc < 2) {
    std::cerr << usage << "\n";
    return 2;
  }
  const std::string action = argv[1];
  if (action == "--help" || action == "-h") {
    std::cout << usage << "\n";
    return 0;
  }
  std::string choices;
  std::size_t i = 0;
  for (const auto& a : actions) {
    if (action == a.name) {
      std::string program = "parcae " + command + " " + action;
      argv[1] = program.data();
      return a.run(argc - 1, argv + 1);
    }
    choices += (i == 0 ? "" : i + 1 == actions.size() ? " or " : ", ") + std::string(a.name);
    ++i;
  }
  throw InputError(command + ": unknown action '" + action + "' (expected " + choices + ")");
}

}  // namespace parcae::cli
