#pragma once
// Everything a training job is: the model, the data, the optimisation and the
// layout. Every rank builds the same TrainConfig from the same options and
// validates it the same way before any communication, so a bad option makes
// every rank exit 2 together instead of leaving some blocked.
#include <cstdint>
#include <string>
#include <vector>

#include "parcae/kernels/adamw.hpp"
#include "parcae/model/config.hpp"
#include "parcae/runtime/lr_schedule.hpp"

namespace parcae::runtime {

struct TrainConfig {
  model::GptConfig model;  // micro_batch = B
  std::string data_path;   // token file; empty = the built-in synthetic corpus
  std::string val_path;    // validation token file; empty = none (or synthetic)
  int steps = 100;
  int global_batch = 32;   // G: sequences per optimizer step, fixed whatever D and P are
  LrSchedule lr;
  kernels::AdamW adamw;  // lr is overwritten per step from `lr`
  double grad_clip = 1.0;     // global gradient-norm bound; <= 0 disables clipping
  std::uint64_t seed = 1337;  // init and data order
  int dp = 1;
  int pp = 1;
  int log_every = 10;
  int eval_every = 0;     // 0 = only at the end
  int eval_batches = 8;   // micro-batches of validation data per evaluation
  std::string metrics_path;
  // Per-layer cost to balance pipeline stages by (measured forward + backward);
  // empty = estimated from the model's shape (forward FLOPs per token).
  std::vector<double> layer_costs;

  int micro_batches() const { return global_batch / model.micro_batch; }
  // Throws InputError (naming the option) for an impossible job on `workers` ranks.
  void validate(int workers) const;
};

// Replica r's share of a step's M micro-batches: a contiguous run, the first
// M % D replicas taking one more, so any D (even one not dividing M) computes
// the same global batch.
struct Share {
  int first = 0;
  int count = 0;
};
Share replica_share(int micro_batches, int replicas, int replica);

// The layer costs the pipeline is balanced by: cfg.layer_costs when measured,
// else forward FLOPs per token (embedding ~C, block ~24C^2 + 4TC, head ~2C Vp).
std::vector<double> stage_balance_costs(const TrainConfig& cfg);

}  // namespace parcae::runtime
