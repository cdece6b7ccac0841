#pragma once
// Throughput from measured layer costs (what the live system feeds), as the
// alternative to a profile table: a 1F1B pipeline of P stages over M
// micro-batches per replica, then a ring allreduce of each stage's gradients
// over the D replicas, then the optimizer step.
//
// With stage s taking f_s forward and b_s backward per micro-batch (its
// layers' times plus sending its activation, or its input gradient, to the
// neighbour), 1F1B finishes after
//     sum_s (f_s + b_s) + (M - 1) * max_s (f_s + b_s)
// i.e. (M + P - 1)(f + b) for balanced stages: the M micro-batches go through
// the slowest stage back to back, and the first and last traverse the others
// (the P - 1 bubble slots).
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "parcae/liveput/p2p.hpp"
#include "parcae/liveput/profile.hpp"

namespace parcae::liveput {

struct LayerCost {
  double forward_ms = 0.0;   // per micro-batch
  double backward_ms = 0.0;  // per micro-batch
  std::int64_t params = 0;
};

struct PipelineModel {
  // How layers become stages: the artifact's rule (paper mode), or balanced by
  // each layer's forward + backward time, as the runtime's partitioner does
  // (model::partition_layers), for measured layer costs of this system.
  enum class Partition { paper, balanced };

  std::vector<LayerCost> layers;
  Partition partition = Partition::paper;
  int global_batch = 128;
  int micro_batch = 1;
  double activation_bytes = 0.0;   // one micro-batch's activations between stages
  P2pTable p2p;                    // activation and gradient transfers
  double allreduce_gbps = 10.0;    // link bandwidth of the ring allreduce (Gb/s)
  double allreduce_latency_ms = 0.1;  // per ring step
  double gradient_bytes_per_param = 4.0;
  double optimizer_ns_per_param = 1.0;  // AdamW update
};

struct IterationTime {
  int micro_batches = 0;        // per replica
  double pipeline_ms = 0.0;     // 1F1B
  double allreduce_ms = 0.0;    // slowest stage
  double optimizer_ms = 0.0;    // slowest stage
  double total_ms() const { return pipeline_ms + allreduce_ms + optimizer_ms; }
};

// Stages follow `partition`. Throws InputError when the configuration cannot
// run (pp > layers - 1 with the paper rule, pp > layers when balanced, or fewer
// micro-batches than replicas).
IterationTime iteration_time(const PipelineModel& model, Config c);

// A profile table of every (dp, pp) with dp * pp <= max_instances that runs.
ThroughputTable pipeline_table(const PipelineModel& model, int max_instances);

// Measured layer costs, one layer per row in model order (embedding, blocks,
// head): columns forward_ms,backward_ms,params. Throws InputError (file:line).
std::vector<LayerCost> parse_layer_costs(std::istream& in, const std::string& source);
std::vector<LayerCost> read_layer_costs_file(const std::string& path);

}  // namespace parcae::liveput
