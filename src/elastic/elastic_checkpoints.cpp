// Checkpoints of an elastic run (see elastic_checkpoints.hpp).
#include "parcae/elastic/elastic_checkpoints.hpp"

#include <algorithm>
#include <filesystem>
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

namespace {

// Layers [first, end), each from `shard_of(l)`, into the step folder of
// `steps_done`, synchronously (training waits for all of it), as part `part`.
template <typename ShardOf>
runtime::ShardsSaved write_layers(const runtime::TrainConfig& cfg, int first, int end, int part,
                                  std::int64_t steps_done, ShardOf shard_of) {
  util::Stopwatch watch;
  const auto dir = ckpt::step_dir(runtime::checkpoint_run_dir(cfg), steps_done);
  runtime::ShardsSaved saved;
  saved.step = steps_done;
  saved.stage = part;
  for (int l = first; l < end; ++l) {
    saved.shards.push_back(ckpt::write_shard(dir, cfg.model, shard_of(l)));
  }
  saved.write_s = watch.seconds();
  saved.stall_s = saved.write_s;
  return saved;
}

}  // namespace

runtime::ShardsSaved save_stage(const runtime::TrainConfig& cfg, const compute::Stage& stage,
                                int stage_index, std::int64_t steps_done) {
  return write_layers(cfg, stage.first_layer(), stage.end_layer(), stage_index, steps_done,
                      [&](int l) { return stage.copy_shard(l); });
}

runtime::ShardsSaved save_held_layers(const runtime::TrainConfig& cfg,
                                      const std::vector<model::Shard>& held, int first, int end,
                                      int part, std::int64_t steps_done) {
  return write_layers(cfg, first, end, part, steps_done, [&](int l) -> const model::Shard& {
    const auto it = std::find_if(held.begin(), held.end(),
                                 [&](const model::Shard& s) { return s.layer == l; });
    if (it == held.end()) {
      throw std::logic_error("elastic: asked to save layer " + std::to_string(l) +
                             ", which this rank does not hold");
    }
    return *it;
  });
}

void complete_checkpoint(const runtime::TrainConfig& cfg, int dp, int pp, int workers,
                         const std::vector<runtime::ShardsSaved>& stages, const TracePosition& at) {
  // The manifest records the layout that wrote it: this checkpoint's, not the job's.
  runtime::TrainConfig layout_cfg = cfg;
  layout_cfg.dp = dp;
  layout_cfg.pp = pp;
  runtime::ManifestKeeper keeper(layout_cfg, workers);
  keeper.record_training("elastic", to_json(at));
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
  const bool resumed_from = !cfg.start.step_dir.empty() && cfg.start.step == steps_done;
  const std::filesystem::path dir =
      resumed_from ? std::filesystem::path(cfg.start.step_dir)
                   : ckpt::step_dir(runtime::checkpoint_run_dir(cfg), steps_done);
  const auto manifest = ckpt::read_manifest(dir);
  return ckpt::read_layers(dir, manifest, first, end);
}

}  // namespace parcae::elastic
