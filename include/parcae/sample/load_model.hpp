#pragma once
// The model that `parcae sample` runs: every layer's shard out of a checkpoint
// (ckpt's store), whatever layout wrote it.
#include <filesystem>
#include <vector>

#include "parcae/ckpt/manifest.hpp"
#include "parcae/model/shard.hpp"

namespace parcae::sample {

struct LoadedModel {
  std::filesystem::path step_dir;  // the checkpoint read
  ckpt::Manifest manifest;
  std::vector<model::Shard> shards;  // layers 0 .. L + 1
};

// `path` is a checkpoint (a step folder with its manifest) or a run folder, of
// which the newest complete checkpoint is read. InputError (exit 2) naming the
// path when it does not exist, is a step folder without a manifest (not
// finished), holds no complete checkpoint, or a shard fails its checks.
LoadedModel load_model(const std::filesystem::path& path);

}  // namespace parcae::sample
