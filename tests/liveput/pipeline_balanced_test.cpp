#include <gtest/gtest.h>

#include "parcae/liveput/pipeline_model.hpp"

namespace parcae::liveput {
namespace {

// With a heavy last layer, the balanced split gives it a stage of its own, and
// the 1F1B time follows: sum of stages + (M - 1) x slowest.
TEST(PipelineModelBalanced, StagesFollowTheRuntimePartitioner) {
  PipelineModel m;
  m.layers = {{1, 2, 10}, {1, 2, 10}, {1, 2, 10}, {4, 8, 10}};
  m.global_batch = 4;
  m.micro_batch = 1;
  m.partition = PipelineModel::Partition::balanced;
  const auto t = iteration_time(m, {1, 2});
  // Stages {0,1,2} (9 ms) and {3} (12 ms), each plus one transfer.
  const double send = m.p2p.milliseconds(m.activation_bytes);
  const double s0 = 9 + send, s1 = 12 + send;
  EXPECT_NEAR(t.pipeline_ms, s0 + s1 + 3 * std::max(s0, s1), 1e-9);
  // Every layer may be its own stage when balanced (the paper rule stops at L - 1).
  EXPECT_NO_THROW(iteration_time(m, {1, 4}));
  m.partition = PipelineModel::Partition::paper;
  EXPECT_ANY_THROW(iteration_time(m, {1, 4}));
}

}  // namespace
}  // namespace parcae::liveput
