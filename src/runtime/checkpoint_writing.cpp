// A training job's checkpoints (see checkpoint_writing.hpp).
#include "parcae/runtime/checkpoint_writing.hpp"

#include <algorithm>
#include <stdexcept>

#include "parcae/ckpt/catalog.hpp"
#include "parcae/ckpt/paths.hpp"

namespace parcae::runtime {

std::filesystem::path checkpoint_run_dir(const TrainConfig& cfg) {
  return ckpt::run_dir(cfg.checkpoints.dir, cfg.checkpoints.run);
}

StageSaver::StageSaver(const TrainConfig& cfg, int stage_index, bool writes, Deliver deliver)
    : cfg_(cfg), stage_index_(stage_index), writes_(writes), deliver_(std::move(deliver)) {}

namespace {

// The stage's layers into `shards`, reusing their buffers (same sizes
// checkpoint after checkpoint: no allocation, no page faults).
void copy_stage(const compute::Stage& stage, std::vector<model::Shard>& shards) {
  shards.resize(static_cast<std::size_t>(stage.end_layer() - stage.first_layer()));
  for (int l = stage.first_layer(); l < stage.end_layer(); ++l) {
    stage.copy_shard(l, shards[static_cast<std::size_t>(l - stage.first_layer())]);
  }
}

}  // namespace

void StageSaver::save(std::int64_t steps_done, const compute::Stage& stage) {
  if (!writes_ || cfg_.checkpoints.dir.empty()) return;
  const util::Stopwatch stall;
  drain();  // the next checkpoint waits for the previous one
  const auto dir = ckpt::step_dir(checkpoint_run_dir(cfg_), steps_done);
  // A CPU stage's state is host memory that the writer's thread can read
  // while training reads it too. A GPU stage's copy is a transfer through the
  // backend's stream, made here on the training thread (a second thread's
  // CUDA calls into that stream are not done here).
  if (!cfg_.checkpoints.sync && stage.backend().device() == compute::Device::cpu) {
    std::vector<ckpt::ShardWriter::Source> sources;
    for (int l = stage.first_layer(); l < stage.end_layer(); ++l) {
      const auto v = stage.state_view(l);
      sources.push_back({l, v.step, v.param, v.adam_m, v.adam_v, v.floats});
    }
    writer_.submit_overlapped(dir, cfg_.model, sources);
    copying_ = true;
  } else {
    std::vector<model::Shard> shards = writer_.take_buffers();
    copy_stage(stage, shards);
    writer_.submit(dir, cfg_.model, std::move(shards));
  }
  since_submit_.restart();
  pending_ = ShardsSaved{.step = steps_done, .stage = stage_index_, .shards = {}, .stall_s = 0,
                         .write_s = 0};
  if (cfg_.checkpoints.sync) pending_->shards = writer_.wait();
  // Async: the stall is the wait for the previous write, the copy or the
  // start of it, and wait_copied()'s wait; sync: the whole write.
  pending_->stall_s = stall.seconds();
  if (cfg_.checkpoints.sync) deliver_pending();
}

void StageSaver::wait_copied() {
  if (!copying_) return;
  const double waited = writer_.wait_copied();  // rethrows the copy's error
  copying_ = false;
  if (pending_) pending_->stall_s += waited;
}

void StageSaver::poll() {
  if (!pending_ || writer_.busy()) return;
  wait_copied();  // done already (the write after it is): returns at once
  pending_->shards = writer_.wait();
  deliver_pending();
}

void StageSaver::drain() {
  wait_copied();
  if (!pending_) return;
  pending_->shards = writer_.wait();
  deliver_pending();
}

void StageSaver::deliver_pending() {
  // Async: seen at the step end after the write finished, so at most a step late.
  pending_->write_s = since_submit_.seconds();
  const ShardsSaved saved = std::move(*pending_);
  pending_.reset();
  deliver_(saved);
}

ManifestKeeper::ManifestKeeper(const TrainConfig& cfg, int workers) : cfg_(cfg), workers_(workers) {}

std::optional<CheckpointSummary> ManifestKeeper::add(const ShardsSaved& saved) {
  auto& stages = partial_[saved.step];
  stages.push_back(saved);
  if (static_cast<int>(stages.size()) < cfg_.pp) return std::nullopt;
  ckpt::Manifest m;
  m.model = cfg_.model;
  m.step = saved.step;
  m.tokens_seen = saved.step * cfg_.global_batch * cfg_.model.seq_len;
  m.seed = cfg_.seed;
  m.layout = {.dp = cfg_.dp, .pp = cfg_.pp, .workers = workers_};
  CheckpointSummary summary;
  summary.step = saved.step;
  for (const auto& stage : stages) {
    m.shards.insert(m.shards.end(), stage.shards.begin(), stage.shards.end());
    summary.stall_s = std::max(summary.stall_s, stage.stall_s);
    summary.write_s = std::max(summary.write_s, stage.write_s);
  }
  std::sort(m.shards.begin(), m.shards.end(),
            [](const auto& a, const auto& b) { return a.layer < b.layer; });
  m.training = {{"steps", cfg_.steps},          {"global_batch", cfg_.global_batch},
                {"micro_batch", cfg_.model.micro_batch}, {"lr", cfg_.lr.peak},
                {"min_lr", cfg_.lr.min_lr},     {"warmup", cfg_.lr.warmup_steps},
                {"data", cfg_.data_path.empty() ? "<synthetic>" : cfg_.data_path}};
  m.training.update(training_);
  const auto run = checkpoint_run_dir(cfg_);
  const auto dir = ckpt::step_dir(run, saved.step);
  ckpt::write_manifest(dir, m);
  ckpt::prune_checkpoints(run, cfg_.checkpoints.keep);
  partial_.erase(saved.step);
  ++completed_;
  summary.dir = dir.string();
  summary.bytes = m.bytes();
  return summary;
}

}  // namespace parcae::runtime
