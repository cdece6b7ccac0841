// The coordinator's log stops a run whose loss is no longer a number.
#include "parcae/runtime/progress.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

namespace parcae::runtime {
namespace {

TEST(ProgressLog, ANonFiniteLossStopsTheRunNamingTheStep) {
  TrainConfig cfg;
  cfg.steps = 20;
  std::ostringstream out;
  ProgressLog log(cfg, out);
  log.step({0, 11.0, 2, 1.5, 1e-3, 10, 0, 0, 0});
  for (const double bad : {std::nan(""), std::numeric_limits<double>::infinity()}) {
    try {
      log.step({12, bad, 2, 1.5, 1e-3, 10, 0, 0, 0});
      FAIL() << "accepted a loss of " << bad;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("step 13/20: the training loss is", 0), 0u) << e.what();
    }
  }
  EXPECT_THROW(log.step({13, 11.0, 2, std::nan(""), 1e-3, 10, 0, 0, 0}), std::runtime_error);
  EXPECT_DOUBLE_EQ(log.history().front().loss_sum, 11.0);
}

}  // namespace
}  // namespace parcae::runtime
