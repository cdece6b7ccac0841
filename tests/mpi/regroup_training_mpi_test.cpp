// Run under mpirun -np 5 (rank 0 coordinates, 4 workers): one job that trains
// a few steps in each of several layouts, regrouping the same communicators
// between them (every layout restarts from the same seeded initialisation:
// state does not move yet). Each layout's losses match a lone process's run of
// the same steps, no rank hangs, no communicator leaks; a failure on any rank
// stops every rank at the same point (no rank is left waiting for a timeout).
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <sstream>

#include "parcae/data/corpus.hpp"
#include "parcae/runtime/trainer.hpp"

namespace parcae::runtime {
namespace {

// Whether `ok` holds on every rank (collective over the world).
bool on_every_rank(bool ok) {
  int mine = ok ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}

// The losses of `cfg` trained by this process alone (the 1 x 1 layout).
std::vector<double> lone_losses(TrainConfig cfg, const TrainData& data) {
  cfg.dp = cfg.pp = 1;
  std::ostringstream out;
  ProgressLog log(cfg, out);
  LocalReporter reporter(log, cfg);
  Groups alone(MPI_COMM_SELF, /*first_worker_rank=*/0);
  run_worker(cfg, data, alone, reporter);
  std::vector<double> losses;
  for (const auto& r : log.history()) losses.push_back(r.loss_sum / r.micro_batches);
  return losses;
}

TEST(RegroupBetweenSteps, TrainsInEveryLayoutAsALoneProcessWouldWithoutLeaks) {
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  ASSERT_TRUE(on_every_rank(size == 5)) << "run with mpirun -np 5";
  TrainConfig cfg;
  cfg.model = model::GptConfig::preset("tiny");
  cfg.model.micro_batch = 2;
  cfg.global_batch = 8;
  cfg.steps = 2;
  cfg.lr.total_steps = cfg.steps;
  cfg.log_every = 1000;
  const TrainData data{data::synthetic_arithmetic(1, 1 << 16), std::nullopt};
  const std::vector<double> expected = rank == 0 ? lone_losses(cfg, data) : std::vector<double>{};
  const int before = Groups::communicators_alive();
  Groups groups(MPI_COMM_WORLD);
  const std::pair<int, int> layouts[] = {{2, 2}, {1, 4}, {4, 1}, {1, 3}, {2, 1}, {1, 1}, {2, 2}};
  for (const auto& [dp, pp] : layouts) {
    SCOPED_TRACE(std::to_string(dp) + "x" + std::to_string(pp));
    cfg.dp = dp;
    cfg.pp = pp;
    bool ok = true;
    if (rank == 0) {
      std::ostringstream out;
      ProgressLog log(cfg, out);
      run_coordinator(cfg, /*has_val=*/false, MPI_COMM_WORLD, log);
      EXPECT_EQ(log.history().size(), expected.size());
      ok = log.history().size() == expected.size();
      for (std::size_t i = 0; ok && i < expected.size(); ++i) {
        const auto& r = log.history()[i];
        const double loss = r.loss_sum / r.micro_batches;
        // The same function up to the order of floating-point reductions.
        EXPECT_NEAR(loss, expected[i], 1e-5 * std::abs(expected[i])) << "step " << i;
        ok = ok && std::abs(loss - expected[i]) <= 1e-5 * std::abs(expected[i]);
      }
    } else {
      MpiReporter reporter(MPI_COMM_WORLD);
      run_worker(cfg, data, groups, reporter);
      const int alive = Groups::communicators_alive() - before;
      EXPECT_EQ(alive, groups.active() ? 3 : 0);
      ok = alive == (groups.active() ? 3 : 0);
      if (!groups.active()) wait_until_released(MPI_COMM_WORLD);
    }
    ASSERT_TRUE(on_every_rank(ok)) << "a rank failed in this layout";
  }
  if (rank != 0) {
    EXPECT_EQ(Groups::communicators_alive() - before, 3);  // the last layout, 2x2, uses all 4
  }
}

}  // namespace
}  // namespace parcae::runtime
