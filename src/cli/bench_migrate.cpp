// parcae bench migrate (under mpirun, 3 ranks or more): an inter-stage
// migration of one pipeline stage's shards from rank 1 to rank 2, as the
// elastic executor moves them (exchange_shards: per layer, three buffers and
// a header, checksums verified on arrival, receive buffers allocated), next to
// one plain MPI_Send of the same bytes into a ready buffer, in the same run.
#include <mpi.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "mpi_command.hpp"
#include "number_option.hpp"
#include "parcae/elastic/shard_exchange.hpp"
#include "parcae/error.hpp"
#include "parcae/model/partition.hpp"
#include "parcae/runtime/train_config.hpp"
#include "parcae/runtime/waiting.hpp"
#include "parcae/util/stats.hpp"
#include "parcae/util/stopwatch.hpp"
#include "parcae/util/text.hpp"

namespace parcae::cli {
namespace {

struct Bench {
  std::vector<std::string> models;
  int repeats = 0;
  bool json = false;
};

std::optional<Bench> setup(int argc, char** argv, const MpiJob& job) {
  po::options_description options("parcae bench migrate options");
  // clang-format off
  options.add_options()
      ("models", po::value<std::string>()->default_value("small,gpt2-124m"),
       "models whose first stage of two migrates (tiny | small | gpt2-124m)")
      ("repeats", number(closed(1, 1000))->default_value(5), "timed repetitions of each")
      ("json", po::bool_switch(), "print one JSON object");
  // clang-format on
  po::variables_map vm;
  if (!parse_command_line_on_rank(job.rank, argc, argv,
                                  "usage: mpirun -np 3 parcae bench migrate [--models small] "
                                  "[--json]\nRank 1 sends a stage to rank 2, as a migration and "
                                  "as one plain MPI_Send; rank 2 reports.",
                                  options, vm)) {
    return std::nullopt;
  }
  if (job.size < 3) throw InputError("bench migrate runs under mpirun with at least 3 ranks");
  Bench b;
  for (const auto& name : util::parse_list(vm["models"].as<std::string>(), "--models")) {
    model::GptConfig::preset(name);  // an unknown name fails here, on every rank
    b.models.push_back(name);
  }
  b.repeats = vm["repeats"].as<int>();
  b.json = vm["json"].as<bool>();
  return b;
}

struct Figures {
  std::string model;
  int layers = 0;
  std::int64_t bytes = 0;
  double migrate_ms = 0, send_ms = 0;
};

// A barrier that the ranks taking no part (0, and 3 on) wait in politely,
// as an elastic job's coordinator and parked ranks do: a rank spinning in
// MPI_Barrier would take a core from the two being timed.
void barrier(int rank) {
  MPI_Request request;
  MPI_Ibarrier(MPI_COMM_WORLD, &request);
  if (rank == 1 || rank == 2) {
    MPI_Wait(&request, MPI_STATUS_IGNORE);
  } else {
    runtime::wait_politely(request);
  }
}

// One model's stage, timed on rank 2 (the receiver sees the whole transfer).
Figures measure(const std::string& name, int rank, int repeats) {
  runtime::TrainConfig cfg;
  cfg.model = model::GptConfig::preset(name);
  const auto stage = model::partition_layers(runtime::stage_balance_costs(cfg), 2).front();
  std::vector<model::Shard> held;
  elastic::MigrationPlan plan;
  std::int64_t floats = 0;
  for (int l = stage.first_layer; l < stage.end_layer; ++l) {
    const std::int64_t n = model::layer_spec(cfg.model, l).size;
    plan.transfers.push_back({l, 1, 2, 12 * n});
    floats += 3 * n;
    if (rank == 1) held.push_back(model::make_shard(cfg.model, l, 1));
  }
  std::vector<float> plain(rank == 1 || rank == 2 ? static_cast<std::size_t>(floats) : 0, 1.0f);
  std::vector<double> migrate, send;
  for (int r = 0; r <= repeats; ++r) {  // round 0 warms up
    barrier(rank);
    util::Stopwatch watch;
    if (rank == 1 || rank == 2) elastic::exchange_shards(MPI_COMM_WORLD, plan, held, cfg.model);
    if (r > 0) migrate.push_back(watch.ms());
    barrier(rank);
    watch.restart();
    if (rank == 1) {
      MPI_Send(plain.data(), static_cast<int>(floats), MPI_FLOAT, 2, 7200, MPI_COMM_WORLD);
    } else if (rank == 2) {
      MPI_Recv(plain.data(), static_cast<int>(floats), MPI_FLOAT, 1, 7200, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
    }
    if (r > 0) send.push_back(watch.ms());
  }
  return {name, stage.size(), floats * 4, util::median(migrate), util::median(send)};
}

int bench(const MpiJob& job, const Bench& b) {
  std::vector<Figures> rows;
  for (const auto& name : b.models) rows.push_back(measure(name, job.rank, b.repeats));
  if (job.rank != 2) return 0;
  nlohmann::json j = nlohmann::json::array();
  for (const auto& f : rows) {
    j.push_back({{"model", f.model},
                 {"layers", f.layers},
                 {"bytes", f.bytes},
                 {"migrate_ms", f.migrate_ms},
                 {"send_ms", f.send_ms},
                 {"migrate_gb_per_s", f.bytes / 1e6 / f.migrate_ms},
                 {"send_gb_per_s", f.bytes / 1e6 / f.send_ms},
                 {"ratio_to_send", f.send_ms / f.migrate_ms}});
  }
  if (b.json) {
    std::cout << nlohmann::json{{"migrate", j}}.dump(2) << std::endl;
    return 0;
  }
  std::printf("%-10s %7s %12s %12s %12s %14s\n", "model", "layers", "MB", "migrate ms", "send ms",
              "ratio to send");
  for (const auto& f : rows) {
    std::printf("%-10s %7d %12.1f %12.2f %12.2f %14.2f\n", f.model.c_str(), f.layers, f.bytes / 1e6,
                f.migrate_ms, f.send_ms, f.send_ms / f.migrate_ms);
  }
  std::fflush(stdout);
  return 0;
}

}  // namespace

int bench_migrate(int argc, char** argv) {
  return run_mpi_command(
      argc, argv, [&](const MpiJob& job) { return setup(argc, argv, job); }, bench);
}

}  // namespace parcae::cli
