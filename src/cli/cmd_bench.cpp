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

// Decisions of a parcae-oracle replay of a trace: warm (second pass, cache
// filled), and cold (empty transition cache before each sampled decision).
int bench_optimizer(int argc, char** argv) {
  po::options_description options("Options");
  options.add_options()
      ("trace", po::value<std::string>()->value_name("FILE"), "availability trace to replay")
      ("look-ahead", number(kLookAhead)->default_value(12), "intervals the optimizer plans over")
      ("cold-every", number(closed(1, 1'000'000))->default_value(10), "time a cold decision at every k-th interval")
      ("json", "print median_ms, p99_ms, cold_ms (and more) as JSON");
  add_cost_model_options(options);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, "usage: parcae bench optimizer --trace FILE --profile FILE [--json]",
                          options, {}, vm))
    return 0;
  if (!vm.count("trace")) throw InputError("--trace is required");
  const int horizon = vm["look-ahead"].as<int>();
  const int cold_every = std::max(1, vm["cold-every"].as<int>());
  if (horizon < 1) throw InputError("--look-ahead must be >= 1");
  const liveput::CostModel model = cost_model_from(vm);
  const trace::Series series = trace::discretise(trace::read_trace_file(vm["trace"].as<std::string>()),
                                                 model.constants().interval_s);
  check_planning_size(model, trace::summarise(series).n_max);
  const int end = static_cast<int>(series.intervals.size());
  liveput::TransitionTable table(model);
  const liveput::OracleForecaster oracle;

  // The states the decisions start from: those of a real replay.
  liveput::SimulationOptions sim;
  sim.look_ahead = horizon;
  const Stopwatch replay_watch;
  const liveput::PolicyResult replay =
      liveput::simulate_liveput(table, series, {0, end}, oracle, sim, "parcae-oracle");
  const double replay_ms = replay_watch.ms();
  auto state_at = [&](int i) -> liveput::PlannerState {
    if (i == 0) return {0, {}, 0.0};
    return {series.intervals[i - 1].n, replay.timeline[i - 1].config, 0.0};
  };
  std::vector<double> warm, cold;
  for (int i = 0; i < end; ++i) {
    const auto future = oracle.forecast(series, i, end, horizon);
    const Stopwatch watch;
    liveput::plan(table, state_at(i), future);
    warm.push_back(watch.ms());
  }
  for (int i = 0; i < end; i += cold_every) {
    const auto future = oracle.forecast(series, i, end, horizon);
    table.clear();
    const Stopwatch watch;
    liveput::plan(table, state_at(i), future);
    cold.push_back(watch.ms());
  }
  const nlohmann::json j = {{"decisions", warm.size()},
                            {"look_ahead", horizon},
                            {"configurations", model.configs().size()},
                            {"median_ms", quantile(warm, 0.5)},
                            {"p99_ms", quantile(warm, 0.99)},
                            {"cold_ms", quantile(cold, 0.5)},
                            {"cold_p99_ms", quantile(cold, 0.99)},
                            {"cold_decisions", cold.size()},
                            {"replay_ms", replay_ms}};
  if (vm.count("json")) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << std::fixed << std::setprecision(3) << "optimizer: " << warm.size()
              << " decisions, H=" << horizon << ", " << model.configs().size() << " configurations\n"
              << "  warm  median " << j["median_ms"].get<double>() << " ms, p99 "
              << j["p99_ms"].get<double>() << " ms\n"
              << "  cold  median " << j["cold_ms"].get<double>() << " ms, p99 "
              << j["cold_p99_ms"].get<double>() << " ms (" << cold.size() << " decisions)\n"
              << "  whole replay with cache filling: " << replay_ms << " ms\n";
  }
  return 0;
}

struct BenchTarget {
  const char* name;
  const char* summary;
  CommandFn run;
};

const BenchTarget kTargets[] = {
    {"optimizer", "liveput decisions over a trace replay (warm and cold cache)", bench_optimizer},
    {"gemm", "SGEMM GFLOP/s through the kernels' OpenBLAS (the baseline for step)", bench_gemm},
    {"step", "CPU training step: ms, tokens/s, GFLOP/s and ratio to SGEMM", bench_step},
    {"pipeline", "1F1B efficiency vs its ideal, bucketed vs plain allreduce (under mpirun)",
     bench_pipeline},
    {"migrate", "a stage's shards rank to rank vs one plain MPI send of the bytes (under mpirun)",
     bench_migrate},
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
