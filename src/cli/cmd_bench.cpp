// parcae bench TARGET: timings of parts of the system. Each target is one
// entry of the table below.
#include <algorithm>
#include <cstring>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "number_option.hpp"
#include "parcae/error.hpp"
#include "parcae/liveput/simulator.hpp"
#include "parcae/trace/series.hpp"
#include "parcae/trace/trace.hpp"
#include "parcae/util/stats.hpp"
#include "parcae/util/stopwatch.hpp"

namespace parcae::cli {
namespace {

using util::quantile;
using util::Stopwatch;

struct BenchTarget {
  const char* name;
  const char* summary;
  CommandFn run;
};

const BenchTarget kTargets[] = {
    {"optimizer", "liveput decisions over a trace replay (warm and cold cache)", bench_optimizer},
    {"gemm", "SGEMM GFLOP/s through the kernels' OpenBLAS (the baseline for step)", bench_gemm},
    {"step", "CPU training step: ms, tokens/s, GFLOP/s and ratio to SGEMM", bench_step},
    {"decode", "generation through the KV cache vs a full forward per token", bench_decode},
    {"pipeline", "1F1B efficiency vs its ideal, bucketed vs plain allreduce (under mpirun)",
     bench_pipeline},
    {"migrate", "a stage's shards rank to rank vs one plain MPI send of the bytes (under mpirun)",
     bench_migrate},
    {"ckpt", "checkpoint write/read vs plain write+fsync/read of the bytes; async stall",
     bench_ckpt},
};

void print_targets(std::ostream& out) {
  out << "usage: parcae bench TARGET [OPTIONS]   (parcae bench TARGET --help)\n\ntargets:\n";
  for (const auto& t : kTargets)
    out << "  " << std::left << std::setw(12) << t.name << t.summary << "\n";
}

}  // namespace

int run_bench(int argc, char** argv) {
  if (argc < 2) {
    print_targets(std::cerr);
    return 2;
  }
  const std::string target = argv[1];
  if (target == "--help" || target == "-h") {
    print_targets(std::cout);
    return 0;
  }
  for (const auto& t : kTargets) {
    if (target == t.name) {
      std::string program = std::string("parcae bench ") + t.name;
      argv[1] = program.data();
      return t.run(argc - 1, argv + 1);
    }
  }
  throw InputError("bench: unknown target '" + target + "' (see parcae bench --help)");
}

}  // namespace parcae::cli
