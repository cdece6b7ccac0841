// parcae bench pipeline (under mpirun): how close the 1F1B pipeline comes to
// its ideal, and what the bucketed gradient allreduce achieves next to one
// plain MPI_Allreduce of the same bytes, both measured in the same run.
#include <mpi.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "command.hpp"
#include "mpi_session.hpp"
#include "parcae/data/corpus.hpp"
#include "parcae/error.hpp"
#include "parcae/model/layers.hpp"
#include "parcae/runtime/measure.hpp"
#include "parcae/runtime/trainer.hpp"
#include "parcae/util/stats.hpp"
#include "parcae/util/text.hpp"

namespace parcae::cli {
namespace {

using runtime::StepReport;

// "1,2,4": whole numbers >= 1.
std::vector<int> int_list(const std::string& text, const std::string& option) {
  std::vector<int> out;
  for (const auto& item : util::parse_list(text, "--" + option)) {
    const auto v = util::parse_number<int>(item);
    if (!v || *v < 1)
      throw InputError("--" + option + ": '" + item + "' is not a whole number >= 1");
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

}  // namespace

int bench_pipeline(int argc, char** argv) {
  MpiSession mpi(&argc, &argv);
  const int rank = mpi.rank(), workers = mpi.size() - 1;
  po::options_description options("parcae bench pipeline options");
  options.add_options()("model", po::value<std::string>()->default_value("small"),
                        "tiny | small | gpt2-124m")("seq", po::value<int>()->default_value(64),
                                                    "context length T of the benchmark")(
      "micro-batch", po::value<int>()->default_value(2), "sequences per micro-batch")(
      "stages", po::value<std::string>()->default_value("1,2,4"), "pipeline depths P to run")(
      "micro-batches", po::value<std::string>()->default_value("4,8,16"),
      "micro-batches M per step")("steps", po::value<int>()->default_value(3),
                                  "measured steps per configuration (after one warm-up)")(
      "repeats", po::value<int>()->default_value(5), "allreduce repetitions")(
      "json", po::bool_switch(), "print one JSON object");
  po::variables_map vm;
  if (!parse_command_line_on_rank(
          rank, argc, argv,
          "usage: mpirun -np 1+W parcae bench pipeline [--stages 1,2,4] [--micro-batches 4,8,16] "
          "[--json]\n"
          "Rank 0 coordinates; every P <= W is run with one replica, then all W\n"
          "workers allreduce the model's gradients.",
          options, vm)) {
    return 0;
  }
  if (workers < 1) throw InputError("bench pipeline runs under mpirun with at least 2 ranks");
  runtime::TrainConfig base;
  base.model = model::GptConfig::preset(vm["model"].as<std::string>());
  base.model.seq_len = vm["seq"].as<int>();
  base.model.micro_batch = vm["micro-batch"].as<int>();
  base.log_every = 1 << 30;
  base.steps = 1 + vm["steps"].as<int>();
  const auto stages = int_list(vm["stages"].as<std::string>(), "stages");
  const auto micro = int_list(vm["micro-batches"].as<std::string>(), "micro-batches");
  runtime::TrainData data{data::synthetic_arithmetic(base.seed, 1 << 20), std::nullopt};

  nlohmann::json rows = nlohmann::json::array();
  std::ostringstream sink;
  for (int P : stages) {
    if (P > workers || P > base.model.num_layers()) continue;
    for (int M : micro) {
      auto cfg = base;
      cfg.pp = P;
      cfg.global_batch = M * cfg.model.micro_batch;
      cfg.lr.total_steps = cfg.steps;
      cfg.validate(workers);
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
  }
  const auto t =
      runtime::measure_allreduce(MPI_COMM_WORLD, base.model, workers, vm["repeats"].as<int>());
  std::array<double, 3> reduce = {t.bucketed_ms, t.plain_ms, t.bytes};
  if (rank == 1) MPI_Send(reduce.data(), 3, MPI_DOUBLE, 0, 77, MPI_COMM_WORLD);
  if (rank != 0) return 0;
  MPI_Recv(reduce.data(), 3, MPI_DOUBLE, 1, 77, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  const double gbytes = reduce[2] / 1e9;
  nlohmann::json allreduce = {{"replicas", workers},
                              {"bytes", reduce[2]},
                              {"bucketed_ms", reduce[0]},
                              {"plain_ms", reduce[1]},
                              {"bucketed_gb_per_s", gbytes / (reduce[0] / 1e3)},
                              {"plain_gb_per_s", gbytes / (reduce[1] / 1e3)},
                              {"bucketed_over_plain", reduce[1] / reduce[0]}};
  if (vm["json"].as<bool>()) {
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
      reduce[2] / 1e6, workers, reduce[0], allreduce["bucketed_gb_per_s"].get<double>(), reduce[1],
      allreduce["plain_gb_per_s"].get<double>(), allreduce["bucketed_over_plain"].get<double>());
  return 0;
}

}  // namespace parcae::cli
