// parcae bench pipeline (under mpirun): how close the 1F1B pipeline comes to
// its ideal, and what the bucketed gradient allreduce achieves next to one
// plain MPI_Allreduce of the same bytes, both measured in the same run.
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "command.hpp"
#include "mpi_command.hpp"
#include "number_option.hpp"
#include "parcae/data/corpus.hpp"
#include "parcae/error.hpp"
#include "parcae/model/layers.hpp"
#include "parcae/runtime/measure.hpp"
#include "parcae/runtime/messages.hpp"
#include "parcae/runtime/trainer.hpp"
#include "parcae/util/stats.hpp"
#include "parcae/util/text.hpp"

namespace parcae::cli {
namespace {

using runtime::StepReport;

// "1,2,4": whole numbers in [1, most].
std::vector<int> int_list(const std::string& text, const std::string& option, int most) {
  std::vector<int> out;
  for (const auto& item : util::parse_list(text, "--" + option)) {
    const auto v = util::parse_number<int>(item);
    if (!v || *v < 1 || *v > most)
      throw InputError("--" + option + ": '" + item + "' is not a whole number in [1, " +
                       std::to_string(most) + "]");
    out.push_back(*v);
  }
  return out;
}

// Median of a field over the measured steps (the first step warms caches up).
double median_of(const std::vector<StepReport>& steps, double StepReport::*field) {
  std::vector<double> v;
  for (std::size_t i = 1; i < steps.size(); ++i) v.push_back(steps[i].*field);
  return util::median(v);
}

struct Bench {
  runtime::TrainConfig base;
  std::vector<runtime::TrainConfig> runs;  // every (P, M) the workers allow, validated
  int repeats = 0;
  bool json = false;
};

std::optional<Bench> setup(int argc, char** argv, MpiJob& job) {
  po::options_description options("parcae bench pipeline options");
  // clang-format off
  options.add_options()
      ("model", po::value<std::string>()->default_value("small"), "tiny | small | gpt2-124m")
      ("seq", number(closed(1, 65536))->default_value(64), "context length T of the benchmark")
      ("micro-batch", number(closed(1, 4096))->default_value(2), "sequences per micro-batch")
      ("stages", po::value<std::string>()->default_value("1,2,4"),
       "pipeline depths P to run (each in [1, 1024])")
      ("micro-batches", po::value<std::string>()->default_value("4,8,16"),
       "micro-batches M per step (each in [1, 4096])")
      ("steps", number(closed(1, 1000))->default_value(3),
       "measured steps per configuration (after one warm-up)")
      ("repeats", number(closed(1, 1000))->default_value(5), "allreduce repetitions")
      ("json", po::bool_switch(), "print one JSON object");
  // clang-format on
  add_threads_option(options);
  po::variables_map vm;
  if (!parse_command_line_on_rank(
          job.rank, argc, argv,
          "usage: mpirun -np 1+W parcae bench pipeline [--stages 1,2,4] [--micro-batches 4,8,16] "
          "[--json]\n"
          "Rank 0 coordinates; every P <= W is run with one replica, then all W\n"
          "workers allreduce the model's gradients.",
          options, vm)) {
    return std::nullopt;
  }
  const int workers = job.size - 1;
  if (workers < 1) throw InputError("bench pipeline runs under mpirun with at least 2 ranks");
  Bench b;
  auto& base = b.base;
  base.model = model::GptConfig::preset(vm["model"].as<std::string>());
  base.model.seq_len = vm["seq"].as<int>();
  base.model.micro_batch = vm["micro-batch"].as<int>();
  base.log_every = 1 << 30;
  base.steps = 1 + vm["steps"].as<int>();
  base.lr.total_steps = base.steps;
  base.model.validate();
  for (int P : int_list(vm["stages"].as<std::string>(), "stages", 1024)) {
    if (P > workers || P > base.model.num_layers()) continue;
    for (int M : int_list(vm["micro-batches"].as<std::string>(), "micro-batches", 4096)) {
      auto cfg = base;
      cfg.pp = P;
      cfg.global_batch = M * cfg.model.micro_batch;
      cfg.validate(workers);
      b.runs.push_back(cfg);
    }
  }
  b.repeats = vm["repeats"].as<int>();
  b.json = vm["json"].as<bool>();
  apply_threads_option(vm);
  return b;
}

int bench(const MpiJob& job, const Bench& b) {
  const int rank = job.rank, workers = job.size - 1;
  const auto& base = b.base;
  runtime::TrainData data{data::synthetic_arithmetic(base.seed, 1 << 20), std::nullopt};
  nlohmann::json rows = nlohmann::json::array();
  std::ostringstream sink;
  for (const auto& cfg : b.runs) {
    const int P = cfg.pp, M = cfg.micro_batches();
    const bool over = runtime::oversubscribed(MPI_COMM_WORLD, P);
    const auto steps = runtime::run_job(cfg, data, sink);
    if (rank != 0) continue;
    const double measured = median_of(steps, &StepReport::pipeline_ms);
    const double compute = median_of(steps, &StepReport::compute_ms);
    const double ideal = compute * (M + P - 1) / M;
    rows.push_back({{"stages", P},
                    {"micro_batches", M},
                    {"pipeline_ms", measured},
                    {"slowest_stage_compute_ms", compute},
                    {"ideal_ms", ideal},
                    {"efficiency", ideal / measured},
                    {"step_ms", median_of(steps, &StepReport::ms)},
                    {"oversubscribed", over}});
  }
  // Rank 1 times the allreduce; rank 0 reports it.
  const auto t = runtime::measure_allreduce(MPI_COMM_WORLD, base.model, workers, b.repeats);
  if (rank == 1)
    runtime::send(runtime::AllreduceFigures{t.bytes, t.bucketed_ms, t.plain_ms}, 0, MPI_COMM_WORLD);
  if (rank != 0) return 0;
  const auto figures = runtime::receive<runtime::AllreduceFigures>(1, MPI_COMM_WORLD);
  const double gbytes = figures.bytes / 1e9;
  nlohmann::json allreduce = {{"replicas", workers},
                              {"bytes", figures.bytes},
                              {"bucketed_ms", figures.bucketed_ms},
                              {"plain_ms", figures.plain_ms},
                              {"bucketed_gb_per_s", gbytes / (figures.bucketed_ms / 1e3)},
                              {"plain_gb_per_s", gbytes / (figures.plain_ms / 1e3)},
                              {"bucketed_over_plain", figures.plain_ms / figures.bucketed_ms}};
  if (b.json) {
    std::cout << nlohmann::json{{"model", base.model.describe()},
                                {"pipeline", rows},
                                {"allreduce", allreduce}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::printf("%s, %d workers\n%6s %6s %12s %12s %10s %10s %s\n", base.model.describe().c_str(),
              workers, "P", "M", "pipeline ms", "compute ms", "ideal ms", "efficiency", "");
  for (const auto& r : rows) {
    std::printf("%6d %6d %12.1f %12.1f %10.1f %9.0f%% %s\n", r["stages"].get<int>(),
                r["micro_batches"].get<int>(), r["pipeline_ms"].get<double>(),
                r["slowest_stage_compute_ms"].get<double>(), r["ideal_ms"].get<double>(),
                100 * r["efficiency"].get<double>(),
                r["oversubscribed"].get<bool>() ? "(oversubscribed)" : "");
  }
  std::printf(
      "allreduce of %.1f MB over %d replicas: bucketed %.1f ms (%.2f GB/s), plain %.1f ms (%.2f "
      "GB/s), ratio %.2f\n",
      figures.bytes / 1e6, workers, figures.bucketed_ms,
      allreduce["bucketed_gb_per_s"].get<double>(), figures.plain_ms,
      allreduce["plain_gb_per_s"].get<double>(), allreduce["bucketed_over_plain"].get<double>());
  return 0;
}

}  // namespace

int bench_pipeline(int argc, char** argv) {
  return run_mpi_command(
      argc, argv, [&](MpiJob& job) { return setup(argc, argv, job); }, bench);
}

}  // namespace parcae::cli
