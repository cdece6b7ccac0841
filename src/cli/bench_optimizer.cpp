// parcae bench optimizer: liveput decisions of a parcae-oracle replay, warm
// (cache filled by the replay) and cold (transition cache emptied before each
// sampled decision). Times are the thread's CPU time: the development machine
// is shared, and other sessions' load inflates wall time, not this.
//
// --capacity-sweep C1,C2,...: the same on synthetic traces of growing
// capacity (trace gen --seed 3 --capacity C --initial C/2 --intervals 120)
// with --max-instances C, one table row per capacity, so the growth shows.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "number_option.hpp"
#include "parcae/error.hpp"
#include "parcae/liveput/simulator.hpp"
#include "parcae/trace/generator.hpp"
#include "parcae/trace/series.hpp"
#include "parcae/trace/trace.hpp"
#include "parcae/util/stats.hpp"
#include "parcae/util/stopwatch.hpp"

namespace parcae::cli {
namespace {

using util::CpuStopwatch;
using util::quantile;

nlohmann::json time_decisions(const liveput::CostModel& model,
                              const liveput::TransitionOptions& options,
                              const trace::Series& series, int horizon, int cold_every) {
  const int end = static_cast<int>(series.intervals.size());
  liveput::TransitionTable table(model, options);
  const liveput::OracleForecaster oracle;
  // The states the decisions start from: those of a real replay.
  liveput::SimulationOptions sim;
  sim.look_ahead = horizon;
  const CpuStopwatch replay_watch;
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
    const CpuStopwatch watch;
    liveput::plan(table, state_at(i), future);
    warm.push_back(watch.ms());
  }
  for (int i = 0; i < end; i += cold_every) {
    const auto future = oracle.forecast(series, i, end, horizon);
    table.clear();
    const CpuStopwatch watch;
    liveput::plan(table, state_at(i), future);
    cold.push_back(watch.ms());
  }
  return {{"decisions", warm.size()},
          {"look_ahead", horizon},
          {"configurations", model.configs().size()},
          {"median_ms", quantile(warm, 0.5)},
          {"p99_ms", quantile(warm, 0.99)},
          {"cold_ms", quantile(cold, 0.5)},
          {"cold_p99_ms", quantile(cold, 0.99)},
          {"cold_decisions", cold.size()},
          {"replay_ms", replay_ms},
          {"committed_samples", replay.samples}};
}

std::vector<int> parse_capacities(const std::string& list) {
  std::vector<int> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    int c = 0;
    try { c = std::stoi(item, &used); } catch (const std::exception&) { used = 0; }
    if (used == 0 || used != item.size() || c < 2 || c > kMaxPlannedInstances)
      throw InputError("--capacity-sweep: '" + item + "' is not a capacity in [2, " +
                       std::to_string(kMaxPlannedInstances) + "]");
    out.push_back(c);
  }
  if (out.empty()) throw InputError("--capacity-sweep: no capacity given");
  return out;
}

int capacity_sweep(po::variables_map vm, int horizon, int cold_every) {
  if (!vm.count("layer-costs"))
    throw InputError("--capacity-sweep needs --layer-costs (the table is built per capacity)");
  nlohmann::json rows = nlohmann::json::array();
  const bool json = vm.count("json") > 0;
  if (!json)
    std::cout << "| capacity | configurations | warm median | p99 | cold median | cold p99 | replay of "
                 "120 intervals |\n|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const int c : parse_capacities(vm["capacity-sweep"].as<std::string>())) {
    vm.at("max-instances").value() = c;
    const liveput::CostModel model = cost_model_from(vm);
    trace::GeneratorParams g;
    g.seed = 3, g.capacity = c, g.initial = c / 2, g.intervals = 120;
    g.interval_s = model.constants().interval_s;
    const trace::Series series = trace::discretise(trace::generate_trace(g), g.interval_s);
    check_planning_size(model, trace::summarise(series).n_max, transition_options_from(vm));
    nlohmann::json r = time_decisions(model, transition_options_from(vm), series, horizon, cold_every);
    r["capacity"] = c;
    if (json) {
      rows.push_back(r);
      continue;
    }
    std::cout << std::fixed << std::setprecision(2) << "| " << c << " | " << model.configs().size()
              << " | " << r["median_ms"].get<double>() << " ms | " << r["p99_ms"].get<double>()
              << " ms | " << r["cold_ms"].get<double>() << " ms | "
              << r["cold_p99_ms"].get<double>() << " ms | " << r["replay_ms"].get<double>() / 1e3
              << " s |" << std::endl;
  }
  if (json) std::cout << rows.dump(2) << "\n";
  return 0;
}

}  // namespace

int bench_optimizer(int argc, char** argv) {
  po::options_description options("Options");
  options.add_options()
      ("trace", po::value<std::string>()->value_name("FILE"), "availability trace to replay")
      ("capacity-sweep", po::value<std::string>()->value_name("C1,C2,..."),
       "instead of --trace: synthetic traces of these capacities (seed 3, initial C/2, 120 "
       "intervals), --max-instances C each; needs --layer-costs")
      ("look-ahead", number(kLookAhead)->default_value(12), "intervals the optimizer plans over")
      ("cold-every", number(closed(1, 1'000'000))->default_value(10), "time a cold decision at every k-th interval")
      ("json", "print median_ms, p99_ms, cold_ms (and more) as JSON");
  add_cost_model_options(options);
  po::variables_map vm;
  if (!parse_command_line(argc, argv,
                          "usage: parcae bench optimizer (--trace FILE | --capacity-sweep LIST) "
                          "(--profile FILE | --layer-costs FILE) [--json]",
                          options, {}, vm))
    return 0;
  const int horizon = vm["look-ahead"].as<int>();
  const int cold_every = std::max(1, vm["cold-every"].as<int>());
  if (horizon < 1) throw InputError("--look-ahead must be >= 1");
  if (vm.count("capacity-sweep") && vm.count("trace"))
    throw InputError("give one of --trace and --capacity-sweep");
  if (vm.count("capacity-sweep")) return capacity_sweep(vm, horizon, cold_every);
  if (!vm.count("trace")) throw InputError("--trace is required");
  const liveput::CostModel model = cost_model_from(vm);
  const trace::Series series = trace::discretise(trace::read_trace_file(vm["trace"].as<std::string>()),
                                                 model.constants().interval_s);
  check_planning_size(model, trace::summarise(series).n_max, transition_options_from(vm));
  const nlohmann::json j = time_decisions(model, transition_options_from(vm), series, horizon, cold_every);
  if (vm.count("json")) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << std::fixed << std::setprecision(3) << "optimizer: " << j["decisions"].get<int>()
              << " decisions, H=" << horizon << ", " << model.configs().size()
              << " configurations (CPU time)\n"
              << "  warm  median " << j["median_ms"].get<double>() << " ms, p99 "
              << j["p99_ms"].get<double>() << " ms\n"
              << "  cold  median " << j["cold_ms"].get<double>() << " ms, p99 "
              << j["cold_p99_ms"].get<double>() << " ms (" << j["cold_decisions"].get<int>()
              << " decisions)\n"
              << "  whole replay with cache filling: " << j["replay_ms"].get<double>() << " ms\n";
  }
  return 0;
}

}  // namespace parcae::cli
