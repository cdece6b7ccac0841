#pragma once
// Whole checkpoints: write every shard and then the manifest, read a range of
// layers back, verify everything. What a single process (tests, tools, a
// one-stage run) does in one call; a distributed run writes its stages' shards
// on each stage (write_shard, ShardWriter) and the manifest on one rank.
#include <filesystem>
#include <string>
#include <vector>

#include "parcae/ckpt/manifest.hpp"
#include "parcae/model/shard.hpp"

namespace parcae::ckpt {

namespace fs = std::filesystem;

// Writes `shards` (every layer of manifest.model) into `step_dir`, then the
// manifest with their records; returns the manifest written.
Manifest write_checkpoint(const fs::path& step_dir, Manifest manifest,
                          const std::vector<model::Shard>& shards);

// Layers [first, end) of a complete checkpoint, checked (read_shard) against
// `manifest` (read_manifest(step_dir)).
std::vector<model::Shard> read_layers(const fs::path& step_dir, const Manifest& manifest,
                                      int first, int end);

// Every check a reader would make, without stopping at the first problem.
struct Verification {
  fs::path dir;
  std::int64_t step = -1;            // -1 when the manifest could not be read
  std::int64_t bytes = 0;            // of the shard files checked
  std::vector<std::string> problems;  // "layer-0003.h5: checksum mismatch in adam_m ..."
  bool ok() const { return problems.empty(); }
};
Verification verify_checkpoint(const fs::path& step_dir);

}  // namespace parcae::ckpt
