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
#include "mpi_command.hpp"
#include "number_option.hpp"
#include "parcae/data/corpus.hpp"
#include "parcae/elastic/live_costs.hpp"
#include "parcae/error.hpp"
#include "parcae/liveput/pipeline_model.hpp"
#include "parcae/runtime/measure.hpp"
#include "parcae/runtime/messages.hpp"
#include "parcae/runtime/trainer.hpp"
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

std::vector<double> balance_costs(const liveput::PipelineModel& pm) {
  std::vector<double> costs;
  for (const auto& l : pm.layers) costs.push_back(l.forward_ms + l.backward_ms);
  return costs;
}

struct Profile {
  runtime::TrainConfig base;
  int repeats = 0, max_dp = 0, max_pp = 0;
  std::string out;
  util::Outputs outputs;  // --out and --layer-costs-out, checked in setup, written by rank 0
  bool json = false;
};

std::optional<Profile> setup(int argc, char** argv, MpiJob& job) {
  po::options_description options("parcae profile options");
  // clang-format off
  options.add_options()
      ("model", po::value<std::string>()->default_value("tiny"), "tiny | small | gpt2-124m")
      ("seq", number(closed(1, 65536)), "context length T (default: the model's)")
      ("micro-batch", number(closed(1, 4096))->default_value(2), "sequences per micro-batch")
      ("global-batch", number(closed(1, 65536))->default_value(16), "sequences per step")
      ("max-dp", number(closed(1, 4096)), "largest D to run (default: every worker)")
      ("max-pp", number(closed(1, 1024)), "largest P to run (default: every layer)")
      ("steps", number(closed(1, 1000))->default_value(3),
       "measured steps per configuration (after one warm-up)")
      ("repeats", number(closed(1, 1000))->default_value(5),
       "repetitions of each micro-measurement")
      ("out", po::value<std::string>()->value_name("OUT")->default_value("profile.csv"),
       "profile table to write (dp,pp,iteration_ms,samples_per_s)")
      ("layer-costs-out", po::value<std::string>()->value_name("OUT"),
       "also write the measured layer costs (forward_ms,backward_ms,params), for simulate "
       "--layer-costs")
      ("json", po::bool_switch(), "print the rows as JSON");
  // clang-format on
  add_threads_option(options);
  po::variables_map vm;
  if (!parse_command_line_on_rank(job.rank, argc, argv,
                                  "usage: mpirun -np 1+W parcae profile [--model tiny] [--max-dp D "
                                  "--max-pp P] [--out FILE.csv]",
                                  options, vm)) {
    return std::nullopt;
  }
  const int workers = job.size - 1;
  if (workers < 1)
    throw InputError("profile runs under mpirun with at least 2 ranks (rank 0 coordinates)");
  Profile p;
  auto& base = p.base;
  base.model = model::GptConfig::preset(vm["model"].as<std::string>());
  if (vm.count("seq")) base.model.seq_len = vm["seq"].as<int>();
  base.model.micro_batch = vm["micro-batch"].as<int>();
  base.global_batch = vm["global-batch"].as<int>();
  base.steps = 1 + vm["steps"].as<int>();
  base.lr.total_steps = base.steps;
  base.log_every = 1 << 30;
  base.validate(workers);
  p.repeats = vm["repeats"].as<int>();
  p.max_dp = vm.count("max-dp") ? vm["max-dp"].as<int>() : workers;
  p.max_pp = vm.count("max-pp") ? vm["max-pp"].as<int>() : base.model.num_layers();
  p.out = vm["out"].as<std::string>();
  p.outputs = check_outputs(vm, {}, {{"out"}, {"layer-costs-out"}});
  p.json = vm["json"].as<bool>();
  apply_threads_option(vm);
  return p;
}

int profile(const MpiJob& job, Profile& p) {
  const int workers = job.size - 1;
  auto base = p.base;
  // The cost model's inputs measured as the elastic coordinator measures them
  // (layers and AdamW on rank 1, p2p between ranks 1 and 2, the allreduce over
  // every worker), shared with every rank: rank 0 predicts, every rank
  // balances its stages by them.
  const auto pm = elastic::pipeline_model(
      base, elastic::measure_live_costs(MPI_COMM_WORLD, base, p.repeats).measured);
  base.layer_costs = balance_costs(pm);
  runtime::TrainData data{data::synthetic_arithmetic(base.seed, 1 << 20), std::nullopt};
  std::vector<Row> rows;
  std::ostringstream sink;
  for (int dp = 1; dp <= std::min(p.max_dp, workers); ++dp) {
    for (int pp = 1; pp <= std::min(p.max_pp, base.model.num_layers()) && dp * pp <= workers;
         ++pp) {
      if (dp > base.micro_batches()) continue;
      auto cfg = base;
      cfg.dp = dp;
      cfg.pp = pp;
      const bool over = runtime::oversubscribed(MPI_COMM_WORLD, dp * pp);
      const auto steps = runtime::run_job(cfg, data, sink);
      if (job.rank == 0) {
        rows.push_back({dp, pp, median_step_ms(steps),
                        liveput::iteration_time(pm, {dp, pp}).total_ms(), over});
      }
    }
  }
  if (job.rank != 0) return 0;

  std::ostringstream csv;
  csv << "dp,pp,iteration_ms,samples_per_s\n";
  for (const auto& r : rows) {
    char line[96];
    std::snprintf(line, sizeof line, "%d,%d,%.3f,%.3f\n", r.dp, r.pp, r.measured_ms,
                  base.global_batch / (r.measured_ms / 1000.0));
    csv << line;
  }
  p.outputs.set("--out", csv.str());
  if (p.outputs.declared("--layer-costs-out")) {
    std::ostringstream layers;
    layers << "forward_ms,backward_ms,params\n";
    for (const auto& l : pm.layers)
      layers << l.forward_ms << "," << l.backward_ms << "," << l.params << "\n";
    p.outputs.set("--layer-costs-out", layers.str());
  }
  p.outputs.commit();  // both or neither
  if (p.json) {
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
              base.model.describe().c_str(), base.global_batch, workers, p.out.c_str(), "dp", "pp",
              "iteration ms", "samples/s", "predicted ms", "error");
  for (const auto& r : rows) {
    std::printf("%4d %4d %14.1f %14.2f %14.1f %+7.0f%% %s\n", r.dp, r.pp, r.measured_ms,
                base.global_batch / (r.measured_ms / 1000.0), r.predicted_ms,
                100 * (r.predicted_ms - r.measured_ms) / r.measured_ms,
                r.oversubscribed ? "(oversubscribed)" : "");
  }
  return 0;
}

}  // namespace

int run_profile(int argc, char** argv) {
  return run_mpi_command(
      argc, argv, [&](MpiJob& job) { return setup(argc, argv, job); }, profile);
}

}  // namespace parcae::cli
