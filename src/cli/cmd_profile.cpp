// parcae profile (under mpirun): the real throughput of every (D, P) the ranks
// allow, written as a profile table (the format of ../shared/profiles/*.csv)
// that `simulate` and `plan` read, with the liveput pipeline model's
// prediction, fed with this machine's measured layer, transfer, allreduce and
// optimizer costs, and its error beside each row.
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "command.hpp"
#include "mpi_session.hpp"
#include "parcae/data/corpus.hpp"
#include "parcae/error.hpp"
#include "parcae/liveput/pipeline_model.hpp"
#include "parcae/runtime/measure.hpp"
#include "parcae/runtime/trainer.hpp"
#include "parcae/util/atomic_file.hpp"
#include "parcae/util/stats.hpp"

namespace parcae::cli {
namespace {

struct Row {
  int dp = 0, pp = 0;
  double measured_ms = 0, predicted_ms = 0;
  bool oversubscribed = false;
};

double median_step_ms(const std::vector<runtime::StepReport>& steps) {
  std::vector<double> v;
  for (std::size_t i = 1; i < steps.size(); ++i) v.push_back(steps[i].ms);  // skip the warm-up
  return util::median(v);
}

// The cost model's inputs, measured here: layers and AdamW on rank 1, p2p
// between ranks 1 and 2, the allreduce over all workers. Valid on rank 1.
liveput::PipelineModel measure_model(const runtime::TrainConfig& cfg, int workers, int repeats) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  liveput::PipelineModel pm;
  pm.partition = liveput::PipelineModel::Partition::balanced;
  pm.global_batch = cfg.global_batch;
  pm.micro_batch = cfg.model.micro_batch;
  pm.activation_bytes = 4.0 * cfg.model.micro_batch * cfg.model.seq_len * cfg.model.channels;
  if (rank == 1) {
    for (const auto& t : runtime::measure_layers(cfg.model, repeats))
      pm.layers.push_back({t.forward_ms, t.backward_ms, t.params});
    pm.optimizer_ns_per_param = runtime::measure_adamw_ns_per_param(cfg.model, repeats);
  }
  if (workers >= 2) {
    const auto p2p = runtime::measure_p2p(MPI_COMM_WORLD, 1, 2, 2 * pm.activation_bytes, repeats);
    if (rank == 1) pm.p2p = liveput::P2pTable(p2p);
    const auto reduce = runtime::measure_allreduce(MPI_COMM_WORLD, cfg.model, workers, repeats);
    if (rank == 1) {
      // A ring moves 2 (D - 1) / D of the bytes per rank; read the bandwidth back from that.
      const double moved = 2.0 * (workers - 1) / workers * reduce.bytes;
      pm.allreduce_gbps = moved * 8 / 1e9 / (reduce.bucketed_ms / 1e3);
      pm.allreduce_latency_ms = 0.0;
    }
  }
  return pm;
}

std::vector<double> balance_costs(const liveput::PipelineModel& pm) {
  std::vector<double> costs;
  for (const auto& l : pm.layers) costs.push_back(l.forward_ms + l.backward_ms);
  return costs;
}

}  // namespace

int run_profile(int argc, char** argv) {
  MpiSession mpi(&argc, &argv);
  const int rank = mpi.rank(), workers = mpi.size() - 1;
  po::options_description options("parcae profile options");
  options.add_options()("model", po::value<std::string>()->default_value("tiny"),
                        "tiny | small | gpt2-124m")("seq", po::value<int>(),
                                                    "context length T (default: the model's)")(
      "micro-batch", po::value<int>()->default_value(2), "sequences per micro-batch")(
      "global-batch", po::value<int>()->default_value(16), "sequences per step")(
      "max-dp", po::value<int>()->default_value(1 << 20), "largest D to run")(
      "max-pp", po::value<int>()->default_value(1 << 20), "largest P to run")(
      "steps", po::value<int>()->default_value(3),
      "measured steps per configuration (after one warm-up)")(
      "repeats", po::value<int>()->default_value(5), "repetitions of each micro-measurement")(
      "out", po::value<std::string>()->default_value("profile.csv"),
      "profile table to write (dp,pp,iteration_ms,samples_per_s)")(
      "layer-costs-out", po::value<std::string>(),
      "also write the measured layer costs (forward_ms,backward_ms,params), for simulate "
      "--layer-costs")("json", po::bool_switch(), "print the rows as JSON");
  po::variables_map vm;
  if (!parse_command_line_on_rank(rank, argc, argv,
                                  "usage: mpirun -np 1+W parcae profile [--model tiny] [--max-dp D "
                                  "--max-pp P] [--out FILE.csv]",
                                  options, vm)) {
    return 0;
  }
  if (workers < 1)
    throw InputError("profile runs under mpirun with at least 2 ranks (rank 0 coordinates)");

  runtime::TrainConfig base;
  base.model = model::GptConfig::preset(vm["model"].as<std::string>());
  if (vm.count("seq")) base.model.seq_len = vm["seq"].as<int>();
  base.model.micro_batch = vm["micro-batch"].as<int>();
  base.global_batch = vm["global-batch"].as<int>();
  base.steps = 1 + vm["steps"].as<int>();
  base.log_every = 1 << 30;
  base.validate(workers);

  // Measure the model's inputs on rank 1, share them with rank 0 (which
  // predicts) as a layer-cost table, and balance the runs' stages by them.
  const int repeats = vm["repeats"].as<int>();
  auto pm = measure_model(base, workers, repeats);
  std::vector<double> packed;
  if (rank == 1) {
    for (const auto& l : pm.layers)
      packed.insert(packed.end(), {l.forward_ms, l.backward_ms, double(l.params)});
    packed.insert(packed.end(), {pm.optimizer_ns_per_param, pm.allreduce_gbps});
  }
  packed.resize(3 * base.model.num_layers() + 2);
  MPI_Bcast(packed.data(), static_cast<int>(packed.size()), MPI_DOUBLE, 1, MPI_COMM_WORLD);
  if (rank != 1) {
    pm.layers.clear();
    for (int l = 0; l < base.model.num_layers(); ++l)
      pm.layers.push_back(
          {packed[3 * l], packed[3 * l + 1], static_cast<std::int64_t>(packed[3 * l + 2])});
    pm.optimizer_ns_per_param = packed[packed.size() - 2];
    pm.allreduce_gbps = packed.back();
  }
  // The p2p table lives on rank 1: send it to rank 0.
  int points = 0;
  std::vector<double> p2p_flat;
  if (rank == 1 && workers >= 2) {
    for (double bytes = 4; bytes <= std::max(4.0, 2 * pm.activation_bytes); bytes *= 2) {
      p2p_flat.insert(p2p_flat.end(), {bytes, pm.p2p.milliseconds(bytes) * 1000});
    }
    points = static_cast<int>(p2p_flat.size() / 2);
  }
  MPI_Bcast(&points, 1, MPI_INT, 1, MPI_COMM_WORLD);
  p2p_flat.resize(2 * points);
  MPI_Bcast(p2p_flat.data(), 2 * points, MPI_DOUBLE, 1, MPI_COMM_WORLD);
  if (rank != 1 && points > 0) {
    std::vector<std::pair<double, double>> table;
    for (int i = 0; i < points; ++i) table.emplace_back(p2p_flat[2 * i], p2p_flat[2 * i + 1]);
    pm.p2p = liveput::P2pTable(table);
  }

  base.layer_costs = balance_costs(pm);
  runtime::TrainData data{data::synthetic_arithmetic(base.seed, 1 << 20), std::nullopt};
  std::vector<Row> rows;
  std::ostringstream sink;
  const int max_dp = vm["max-dp"].as<int>(), max_pp = vm["max-pp"].as<int>();
  for (int dp = 1; dp <= std::min(max_dp, workers); ++dp) {
    for (int pp = 1; pp <= std::min(max_pp, base.model.num_layers()) && dp * pp <= workers; ++pp) {
      if (dp > base.micro_batches()) continue;
      auto cfg = base;
      cfg.dp = dp;
      cfg.pp = pp;
      cfg.lr.total_steps = cfg.steps;
      const bool over = runtime::oversubscribed(MPI_COMM_WORLD, dp * pp);
      const auto steps = runtime::run_job(cfg, data, sink);
      if (rank == 0) {
        rows.push_back({dp, pp, median_step_ms(steps),
                        liveput::iteration_time(pm, {dp, pp}).total_ms(), over});
      }
    }
  }
  if (rank != 0) return 0;

  std::ostringstream csv;
  csv << "dp,pp,iteration_ms,samples_per_s\n";
  for (const auto& r : rows) {
    char line[96];
    std::snprintf(line, sizeof line, "%d,%d,%.3f,%.3f\n", r.dp, r.pp, r.measured_ms,
                  base.global_batch / (r.measured_ms / 1000.0));
    csv << line;
  }
  util::write_file_atomically(vm["out"].as<std::string>(), csv.str());
  if (vm.count("layer-costs-out")) {
    std::ostringstream layers;
    layers << "forward_ms,backward_ms,params\n";
    for (const auto& l : pm.layers)
      layers << l.forward_ms << "," << l.backward_ms << "," << l.params << "\n";
    util::write_file_atomically(vm["layer-costs-out"].as<std::string>(), layers.str());
  }
  if (vm["json"].as<bool>()) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : rows) {
      j.push_back({{"dp", r.dp},
                   {"pp", r.pp},
                   {"iteration_ms", r.measured_ms},
                   {"samples_per_s", base.global_batch / (r.measured_ms / 1000.0)},
                   {"predicted_ms", r.predicted_ms},
                   {"error", (r.predicted_ms - r.measured_ms) / r.measured_ms},
                   {"oversubscribed", r.oversubscribed}});
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::printf("%s, global batch %d, %d workers -> %s\n%4s %4s %14s %14s %14s %8s\n",
              base.model.describe().c_str(), base.global_batch, workers,
              vm["out"].as<std::string>().c_str(), "dp", "pp", "iteration ms", "samples/s",
              "predicted ms", "error");
  for (const auto& r : rows) {
    std::printf("%4d %4d %14.1f %14.2f %14.1f %+7.0f%% %s\n", r.dp, r.pp, r.measured_ms,
                base.global_batch / (r.measured_ms / 1000.0), r.predicted_ms,
                100 * (r.predicted_ms - r.measured_ms) / r.measured_ms,
                r.oversubscribed ? "(oversubscribed)" : "");
  }
  return 0;
}

}  // namespace parcae::cli
