// The 1F1B pipeline model against schedules computed by hand.
#include <sstream>

#include "parcae/error.hpp"
#include "parcae/liveput/pipeline_model.hpp"
#include "test_support.hpp"

namespace parcae::liveput {
namespace {

// 5 layers; paper_partition(5, 2) = [0,3) [3,5), (5, 4) = [0,2) [2,3) [3,4) [4,5).
PipelineModel five_layers() {
  PipelineModel m;
  m.layers = {{1, 2, 100}, {1, 2, 100}, {1, 2, 100}, {1, 2, 100}, {1, 2, 100}};
  m.global_batch = 8;
  m.micro_batch = 1;
  m.activation_bytes = 0;
  m.p2p = P2pTable({{1, 0.0}, {2, 0.0}});  // free transfers
  m.allreduce_gbps = 8e-6;                 // 1 byte per ms
  m.allreduce_latency_ms = 0.0;
  m.gradient_bytes_per_param = 1.0;
  m.optimizer_ns_per_param = 1e4;  // 100 params -> 1 ms
  return m;
}

TEST(PipelineModel, OneStageIsSequential) {
  const IterationTime t = iteration_time(five_layers(), {1, 1});
  EXPECT_EQ(t.micro_batches, 8);
  EXPECT_DOUBLE_EQ(t.pipeline_ms, 8 * 5 * 3.0);  // 8 micro-batches x 5 layers x (1 + 2)
  EXPECT_DOUBLE_EQ(t.allreduce_ms, 0.0);
  EXPECT_DOUBLE_EQ(t.optimizer_ms, 5.0);
}

TEST(PipelineModel, TwoUnevenStagesByHand) {
  // Stage 0: 3 layers, f=3 b=6; stage 1: 2 layers, f=2 b=4. 1F1B with M = 4
  // (D = 2): the first micro-batch crosses both stages (9 + 6), the other 3
  // follow at the pace of the slowest stage (9 each): 15 + 27 = 42.
  const IterationTime t = iteration_time(five_layers(), {2, 2});
  EXPECT_EQ(t.micro_batches, 4);
  EXPECT_DOUBLE_EQ(t.pipeline_ms, 42.0);
  // Ring allreduce of stage 0's 300 bytes over 2: 2 steps of 150 bytes.
  EXPECT_DOUBLE_EQ(t.allreduce_ms, 300.0);
  EXPECT_DOUBLE_EQ(t.optimizer_ms, 3.0);
  EXPECT_DOUBLE_EQ(t.total_ms(), 345.0);
}

TEST(PipelineModel, BalancedStagesGiveMPlusPMinusOneSlots) {
  PipelineModel m = five_layers();
  m.layers.push_back({1, 2, 100});
  m.layers.push_back({1, 2, 100});  // 7 layers: paper_partition(7, 3) = 3, 2, 2
  m.layers[0] = {0, 0, 100};        // make stage 0 (3 layers) cost as much as the others
  const IterationTime t = iteration_time(m, {1, 3});
  EXPECT_DOUBLE_EQ(t.pipeline_ms, (8 + 3 - 1) * 6.0);
}

TEST(PipelineModel, ActivationTransfersOnTheCriticalPath) {
  PipelineModel m = five_layers();
  m.activation_bytes = 1.5;
  m.p2p = P2pTable({{1, 1000.0}, {2, 1000.0}});  // 1 ms per send
  // Stage 0: f = 3 + 1 (send), b = 6; stage 1: f = 2, b = 4 + 1 (send back).
  const IterationTime t = iteration_time(m, {2, 2});
  EXPECT_DOUBLE_EQ(t.pipeline_ms, (10 + 7) + 3 * 10.0);
}

TEST(PipelineModel, TableAndBadConfigurations) {
  const PipelineModel m = five_layers();
  const ThroughputTable t = pipeline_table(m, 8);
  EXPECT_NEAR(t.samples_per_s({2, 2}), 8 / 345.0 * 1000.0, 1e-9);
  EXPECT_EQ(t.samples_per_s({1, 5}), 0.0);  // 5 stages do not fit 5 layers (the artifact's rule)
  EXPECT_EQ(t.samples_per_s({16, 1}), 0.0);
  EXPECT_THROW(iteration_time(m, {1, 5}), InputError);
  EXPECT_THROW(iteration_time(m, {16, 1}), InputError);
}

}  // namespace
}  // namespace parcae::liveput

namespace parcae::liveput {
namespace {

TEST(PipelineModel, LayerCostsFile) {
  std::istringstream good("forward_ms,backward_ms,params\n1,2,10\n3,4,20\n");
  const auto layers = parse_layer_costs(good, "l.csv");
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[1].params, 20);
  EXPECT_DOUBLE_EQ(layers[1].backward_ms, 4.0);
  std::istringstream negative("forward_ms,backward_ms,params\n1,-2,10\n3,4,20\n");
  EXPECT_THROW(parse_layer_costs(negative, "l.csv"), InputError);
  std::istringstream one("forward_ms,backward_ms,params\n1,2,10\n");
  EXPECT_THROW(parse_layer_costs(one, "l.csv"), InputError);
  std::istringstream columns("forward,backward,params\n1,2,10\n");
  EXPECT_THROW(parse_layer_costs(columns, "l.csv"), InputError);
}

}  // namespace
}  // namespace parcae::liveput
