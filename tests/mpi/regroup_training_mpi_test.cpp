// Run under mpirun -np 5 (rank 0 coordinates, 4 workers): one job that trains
// a few steps in each of several layouts, regrouping the same communicators
// between them (every rank restarts from the same seeded initialisation: state
// does not move yet). The job keeps running, no rank hangs, no communicator leaks.
#include <mpi.h>

#include <sstream>

#include <gtest/gtest.h>

#include "parcae/data/corpus.hpp"
#include "parcae/runtime/trainer.hpp"

namespace parcae::runtime {
namespace {

TEST(RegroupBetweenSteps, TrainsInEveryLayoutWithoutLeaks) {
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  ASSERT_EQ(size, 5) << "run with mpirun -np 5";
  TrainConfig cfg;
  cfg.model = model::GptConfig::preset("tiny");
  cfg.model.micro_batch = 2;
  cfg.global_batch = 8;
  cfg.steps = 2;
  cfg.log_every = 1000;
  const TrainData data{data::synthetic_arithmetic(1, 1 << 16), std::nullopt};
  const int before = Groups::communicators_alive();
  Groups groups(MPI_COMM_WORLD);
  const std::pair<int, int> layouts[] = {{2, 2}, {1, 4}, {4, 1}, {1, 3}, {2, 1}, {1, 1}, {2, 2}};
  for (const auto& [dp, pp] : layouts) {
    cfg.dp = dp;
    cfg.pp = pp;
    if (rank == 0) {
      std::ostringstream out;
      ProgressLog log(cfg, out);
      run_coordinator(cfg, /*has_val=*/false, MPI_COMM_WORLD, log);
      ASSERT_EQ(log.history().size(), 2u);
      EXPECT_GT(log.last_loss(), 0.0);
    } else {
      MpiReporter reporter(MPI_COMM_WORLD);
      run_worker(cfg, data, groups, reporter);
      EXPECT_EQ(Groups::communicators_alive() - before, groups.active() ? 3 : 0);
      if (!groups.active()) wait_until_released(MPI_COMM_WORLD);
    }
  }
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank != 0) {
    EXPECT_EQ(Groups::communicators_alive() - before, 3);  // the last layout, 2x2, uses all 4
  }
}

}  // namespace
}  // namespace parcae::runtime
