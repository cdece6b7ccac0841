// Checkpoints of an elastic run (see elastic_checkpoints.hpp).
#include "parcae/elastic/elastic_checkpoints.hpp"

#include <stdexcept>

#include "parcae/ckpt/checkpoint.hpp"
#include "parcae/ckpt/paths.hpp"
#include "parcae/ckpt/shard_file.hpp"
#include "parcae/runtime/checkpoint_writing.hpp"
#include "parcae/util/stopwatch.hpp"

namespace parcae::elastic {

bool checkpoint_due(const runtime::TrainConfig& cfg, std::int64_t steps_done) {
  const int every = cfg.checkpoints.every_steps;
  return !cfg.checkpoints.dir.empty() && every > 0 && steps_done > 0 && steps_done % every == 0;
}

runtime::ShardsSaved save_stage(const runtime::TrainConfig& cfg, const compute::Stage& stage,
                                int stage_index, std::int64_t steps_done) {
  util::Stopwatch watch;
  const auto dir = ckpt::step_dir(runtime::checkpoint_run_dir(cfg), steps_done);
  runtime::ShardsSaved saved;
  saved.step = steps_done;
  saved.stage = stage_index;
  for (int l = stage.first_layer(); l < stage.end_layer(); ++l) {
    saved.shards.push_back(ckpt::write_shard(dir, cfg.model, stage.copy_shard(l)));
  }
  saved.write_s = watch.seconds();
  saved.stall_s = saved.write_s;  // synchronous: training waited for all of it
  return saved;
}

void complete_checkpoint(const runtime::TrainConfig& cfg, int dp, int pp, int workers,
                         const std::vector<runtime::ShardsSaved>& stages) {
  // The manifest records the layout that wrote it: this checkpoint's, not the job's.
  runtime::TrainConfig layout_cfg = cfg;
  layout_cfg.dp = dp;
  layout_cfg.pp = pp;
  runtime::ManifestKeeper keeper(layout_cfg, workers);
  std::optional<runtime::CheckpointSummary> done;
  for (const auto& s : stages) done = keeper.add(s);
  if (!done) {
    throw std::logic_error("elastic: checkpoint after step " +
                           std::to_string(stages.empty() ? 0 : stages.front().step) +
                           " lacks a stage's shards");
  }
}

std::vector<model::Shard> load_layers(const runtime::TrainConfig& cfg, std::int64_t steps_done,
                                      int first, int end) {
  const auto dir = ckpt::step_dir(runtime::checkpoint_run_dir(cfg), steps_done);
  const auto manifest = ckpt::read_manifest(dir);
  return ckpt::read_layers(dir, manifest, first, end);
}

}  // namespace parcae::elastic
