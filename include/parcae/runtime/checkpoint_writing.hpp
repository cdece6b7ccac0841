#pragma once
// A training job's checkpoints (docs/checkpoints.md), on top of ckpt's store.
// The first replica of each stage writes its stage's shards (StageSaver:
// asynchronously by default, through ckpt::ShardWriter: a thread copies its
// shards beside the next step's forward and backward, then writes them) and
// reports their records;
// the coordinator (ManifestKeeper) writes the manifest once every stage's
// records came, which is what makes the checkpoint complete, then prunes to
// the newest --keep-checkpoints. A lone process does both. A job killed at
// any moment leaves complete checkpoints and at most one incomplete folder,
// which --resume never loads.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>

#include "parcae/ckpt/shard_writer.hpp"
#include "parcae/compute/stage.hpp"
#include "parcae/runtime/messages.hpp"
#include "parcae/runtime/train_config.hpp"
#include "parcae/util/stopwatch.hpp"

namespace parcae::runtime {

// <checkpoint dir>/<run> of the config (checkpoints must be on).
std::filesystem::path checkpoint_run_dir(const TrainConfig& cfg);

class StageSaver {
 public:
  using Deliver = std::function<void(const ShardsSaved&)>;
  // `writes`: this rank is its stage's first replica (the others only train).
  StageSaver(const TrainConfig& cfg, int stage_index, bool writes, Deliver deliver);
  // The ranks agreed on a checkpoint after `steps_done` steps: copies the
  // stage's shards into the previous checkpoint's buffers (one pass over the
  // state, no allocation) and starts writing them. On a CPU stage the copy
  // runs on the writer's thread beside the next step's forward and backward
  // (which only read the state): `stage` must then stay alive and its state
  // unchanged until wait_copied(), which the trainer calls before the next
  // optimizer update. On a GPU stage it copies before returning. With
  // --checkpoint-sync it writes them and delivers the records before returning.
  void save(std::int64_t steps_done, const compute::Stage& stage);
  // Returns once no copy of a stage is running (waiting for the one save()
  // started, if any): call it before anything changes the stage's parameters
  // or moments (the optimizer update) or frees it. The wait counts in that
  // checkpoint's stall.
  void wait_copied();
  // Delivers the records of a write that has finished (never blocks).
  void poll();
  // Waits for a write in flight and delivers its records.
  void drain();

 private:
  void deliver_pending();
  const TrainConfig& cfg_;
  int stage_index_;
  bool writes_;
  Deliver deliver_;
  ckpt::ShardWriter writer_;
  std::optional<ShardsSaved> pending_;  // submitted, records not yet delivered
  bool copying_ = false;                // the writer may still be copying the stage
  util::Stopwatch since_submit_;
};

// What a complete checkpoint cost: the progress line and metrics report it.
struct CheckpointSummary {
  std::int64_t step = 0;
  std::string dir;
  std::int64_t bytes = 0;
  double stall_s = 0;  // the slowest stage's training stall
  double write_s = 0;  // the slowest stage's write
};

class ManifestKeeper {
 public:
  ManifestKeeper(const TrainConfig& cfg, int workers);
  // The workers agreed on one more checkpoint (its stages will report; they
  // may have already).
  void expect() { ++expected_; }
  // One stage's records; when they complete their checkpoint, writes its
  // manifest, prunes, and returns what it cost.
  std::optional<CheckpointSummary> add(const ShardsSaved& saved);
  // Checkpoints expected whose stages have not all reported.
  int outstanding() const { return expected_ - completed_; }
  // The next manifests also hold `value` under `training.<key>` (the
  // trainer's own state: an elastic run's place in its trace).
  void record_training(const std::string& key, nlohmann::json value) {
    training_[key] = std::move(value);
  }

 private:
  const TrainConfig& cfg_;
  int workers_;
  std::map<std::int64_t, std::vector<ShardsSaved>> partial_;  // by step, until every stage's came
  int expected_ = 0, completed_ = 0;
  nlohmann::json training_ = nlohmann::json::object();
};

}  // namespace parcae::runtime
