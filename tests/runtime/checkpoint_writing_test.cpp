// StageSaver: an asynchronous checkpoint whose copy of the stage overlaps the
// next step holds the state of the step it was asked after, as a
// synchronous one does, provided wait_copied() comes before the update.
#include "parcae/runtime/checkpoint_writing.hpp"

#include <gtest/gtest.h>

#include "parcae/ckpt/paths.hpp"
#include "parcae/ckpt/shard_file.hpp"
#include "test_support.hpp"

namespace parcae::runtime {
namespace {

std::vector<model::Shard> copy_all(const compute::Stage& stage) {
  std::vector<model::Shard> shards;
  for (int l = stage.first_layer(); l < stage.end_layer(); ++l) shards.push_back(stage.copy_shard(l));
  return shards;
}

TEST(StageSaver, OverlappedCheckpointIsTheStateItWasAskedAfter) {
  testing::TempDir dir;
  TrainConfig cfg;
  cfg.model = model::GptConfig::preset("tiny");
  cfg.checkpoints.dir = dir.path().string();
  cfg.checkpoints.run = "overlapped";
  compute::Stage stage(cfg.model, 0, cfg.model.num_layers(), 5);
  kernels::AdamW decaying;
  decaying.weight_decay = 0.1f;  // moves every decayed parameter even with zero gradients
  stage.adamw_step(decaying);
  const auto at_save = copy_all(stage);
  std::vector<ShardsSaved> delivered;
  StageSaver saver(cfg, 0, true, [&](const ShardsSaved& s) { delivered.push_back(s); });
  saver.save(1, stage);
  saver.wait_copied();  // before the next update, as the trainer does
  stage.adamw_step(decaying);
  ASSERT_NE(copy_all(stage), at_save);  // the update changed the state
  saver.drain();
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].step, 1);
  EXPECT_GE(delivered[0].stall_s, 0.0);
  ASSERT_EQ(delivered[0].shards.size(), at_save.size());
  const auto step_dir = ckpt::step_dir(checkpoint_run_dir(cfg), 1);
  for (std::size_t i = 0; i < at_save.size(); ++i) {
    EXPECT_EQ(ckpt::read_shard(step_dir, cfg.model, delivered[0].shards[i]), at_save[i]) << i;
  }

  // A synchronous checkpoint of the same state has the same records.
  const compute::Stage same(cfg.model, std::vector<model::Shard>(at_save));
  cfg.checkpoints.run = "sync";
  cfg.checkpoints.sync = true;
  StageSaver sync_saver(cfg, 0, true, [&](const ShardsSaved& s) { delivered.push_back(s); });
  sync_saver.save(1, same);
  ASSERT_EQ(delivered.size(), 2u);  // delivered before save() returned
  EXPECT_EQ(delivered[1].shards, delivered[0].shards);
}

TEST(StageSaver, ReplicasThatDoNotWriteNeitherCopyNorWait) {
  testing::TempDir dir;
  TrainConfig cfg;
  cfg.model = model::GptConfig::preset("tiny");
  cfg.checkpoints.dir = dir.path().string();
  const compute::Stage stage(cfg.model, 0, 2, 5);
  int delivered = 0;
  StageSaver saver(cfg, 0, /*writes=*/false, [&](const ShardsSaved&) { ++delivered; });
  saver.save(1, stage);
  saver.wait_copied();
  saver.drain();
  EXPECT_EQ(delivered, 0);
  EXPECT_FALSE(std::filesystem::exists(checkpoint_run_dir(cfg)));
}

}  // namespace
}  // namespace parcae::runtime
