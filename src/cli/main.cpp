// parcae: one binary, one subcommand per job. Exit codes: 0 success, 2 bad
// input or usage, 1 anything else, decided by failure_of (failure.hpp) for
// every command, here or, under mpirun, in run_mpi_command (mpi_command.hpp).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "command.hpp"
#include "failure.hpp"
#include "parcae/error.hpp"
#include "memory_policy.hpp"
#include "signals.hpp"

namespace parcae::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"trace", "inspect, generate or fit availability traces", run_trace},
      {"predict", "evaluate the availability predictors on a trace", run_predict},
      {"plan", "decide the next configuration for a forecast (liveput optimizer)", run_plan},
      {"simulate", "replay a trace under each policy and count committed samples", run_simulate},
      {"bench", "time parts of the system (optimizer decisions, ...)", run_bench},
      {"data", "prepare token files for training", run_data},
      {"train", "train a GPT model (under mpirun: D replicas x P stages)", run_train},
      {"profile", "measure every (D, P) under mpirun into a profile table", run_profile},
      {"sample", "generate text from a trained model's checkpoint", run_sample},
      {"ckpt", "list, inspect or verify checkpoints", run_ckpt},
  };
  return table;
}

namespace {

void print_usage(std::ostream& out) {
  out << "usage: parcae COMMAND [OPTIONS]   (parcae COMMAND --help for its options)\n\n"
         "Proactive, liveput-optimised training on preemptible instances.\n\ncommands:\n";
  for (const auto& c : commands()) {
    out << "  " << c.name << std::string(12 - std::strlen(c.name), ' ') << c.summary << "\n";
  }
  out << "\n  --version   print the version and exit\n";
}

int dispatch(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return 0;
  }
  if (name == "--version") {
    std::cout << "parcae " << PARCAE_VERSION << "\n";
    return 0;
  }
  for (const auto& c : commands()) {
    if (name == c.name) {
      std::string program = std::string("parcae ") + c.name;
      argv[1] = program.data();
      return c.run(argc - 1, argv + 1);
    }
  }
  std::cerr << "parcae: unknown command '" << name << "'\n\n";
  print_usage(std::cerr);
  return 2;
}

// Results go to standard output: a full disk or a closed pipe there is an
// I/O failure (exit 1), not a success with a truncated table.
void flush_standard_output() {
  std::cout.flush();
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout) {
    throw parcae::IoError(std::string("standard output: write failed") +
                          (errno != 0 ? std::string(": ") + std::strerror(errno) : ""));
  }
}

}  // namespace
}  // namespace parcae::cli

int main(int argc, char** argv) {
  parcae::cli::keep_freed_memory();
  parcae::cli::install_signal_handlers(/*rank=*/0);
  try {
    const int code = parcae::cli::dispatch(argc, argv);
    parcae::cli::flush_standard_output();
    return code;
  } catch (...) {
    const auto failure = parcae::cli::failure_of(std::current_exception());
    std::cerr << "parcae: " << failure.message << "\n";
    return failure.exit_code;
  }
}
