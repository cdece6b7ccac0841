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
#include "parcae/runtime/waiting.hpp"

namespace parcae::runtime {

// Checkpoints of a training job (docs/checkpoints.md). Off unless `dir` is
// set; then written every `every_steps` steps and/or `every_seconds`, on a
// signal's request, and after the last step, into <dir>/<run>/step-<8 digits>.
struct CheckpointOptions {
  std::string dir;  // empty: no checkpoints (signals still stop the job)
  std::string run = "default";
  int every_steps = 0;
  double every_seconds = 0;
  int keep = 3;       // the newest K complete checkpoints are kept
  bool sync = false;  // write before training on (default: copy, then write in the background)
};

// Where a job starts: fresh (step 0, initialised from the seed) or from a
// complete, verified checkpoint (ckpt's step folder), resolved by every rank
// alike before any communication (runtime/resume.hpp).
struct StartPoint {
  std::string step_dir;  // empty: a fresh start
  int step = 0;          // optimizer steps already done
};

// The defaults here are the command's defaults (`parcae train` with no
// options: the small model, 50 steps): cmd_train.cpp takes its option defaults
// from a default-constructed TrainConfig.
struct TrainConfig {
  static constexpr const char* kDefaultModel = "small";
  model::GptConfig model = default_model();  // micro_batch = B
  std::string data_path;                     // token file; empty = the built-in synthetic corpus
  std::string val_path;                      // validation token file; empty = none (or synthetic)
  int steps = 50;
  int global_batch = 8;  // G: sequences per optimizer step, fixed whatever D and P are
  // Peak 1e-3 after 10 warmup steps, cosine down to peak / 10 at the last step.
  LrSchedule lr{.peak = 1e-3, .min_lr = 1e-4, .warmup_steps = 10, .total_steps = 50};
  kernels::AdamW adamw{.weight_decay = 0.1f};  // lr is overwritten per step from `lr`
  double grad_clip = 1.0;     // global gradient-norm bound; <= 0 disables clipping
  std::uint64_t seed = 1337;  // init and data order
  int dp = 1;
  int pp = 1;
  int log_every = 10;
  int eval_every = 0;    // 0 = only at the end
  int eval_batches = 8;  // micro-batches of validation data per evaluation
  // A rank that makes no progress for this long fails the job (waiting.hpp):
  // generous, far above any step's computation between two messages.
  double stall_seconds = 600;
  // > 0: an elastic job that recovers from dead ranks (--recovery) takes a
  // rank silent this long for dead (runtime/membership.hpp); 0: a death is a stall.
  double death_seconds = 0;
  // The waits' patience: the world, the stall and death deadlines.
  Patience patience(MPI_Comm world = MPI_COMM_WORLD) const {
    return Patience{stall_seconds, world, death_seconds};
  }
  std::string metrics_path;
  // Per-layer cost to balance pipeline stages by (measured forward + backward);
  // empty = estimated from the model's shape (forward FLOPs per token).
  std::vector<double> layer_costs;
  CheckpointOptions checkpoints;
  StartPoint start;

  // The small preset with micro-batches of 4 sequences.
  static model::GptConfig default_model() {
    auto m = model::GptConfig::preset(kDefaultModel);
    m.micro_batch = 4;
    return m;
  }

  int micro_batches() const { return global_batch / model.micro_batch; }
  // Throws InputError (naming the option) for an impossible job on `workers` ranks.
  // Also: the largest stage must fit in this machine's memory (worker_bytes).
  void validate(int workers) const;
  // Bytes the busiest worker holds at most: its stage's parameters, gradients
  // and AdamW moments (16 bytes a parameter) and the activations of the
  // micro-batches 1F1B keeps in flight on it.
  double worker_bytes() const;
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
