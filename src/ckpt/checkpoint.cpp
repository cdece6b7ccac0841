// Whole checkpoints in one process (see checkpoint.hpp).
#include "parcae/ckpt/checkpoint.hpp"

#include "parcae/ckpt/shard_file.hpp"
#include "parcae/error.hpp"

namespace parcae::ckpt {

Manifest write_checkpoint(const fs::path& step_dir, Manifest manifest,
                          const std::vector<model::Shard>& shards) {
  manifest.shards = write_shards(step_dir, manifest.model, shards);
  write_manifest(step_dir, manifest);
  return manifest;
}

std::vector<model::Shard> read_layers(const fs::path& step_dir, const Manifest& manifest,
                                      int first, int end) {
  std::vector<model::Shard> shards;
  for (int layer = first; layer < end; ++layer) {
    shards.push_back(read_shard(step_dir, manifest.model, manifest.shard(layer)));
  }
  return shards;
}

Verification verify_checkpoint(const fs::path& step_dir) {
  Verification v;
  v.dir = step_dir;
  Manifest manifest;
  try {
    manifest = read_manifest(step_dir);
  } catch (const InputError& e) {
    v.problems.push_back(e.what());
    return v;
  }
  v.step = manifest.step;
  for (const auto& record : manifest.shards) {
    try {
      read_shard(step_dir, manifest.model, record);
      v.bytes += record.bytes;
    } catch (const InputError& e) {
      v.problems.push_back(e.what());
    } catch (const IoError& e) {
      v.problems.push_back(e.what());
    }
  }
  return v;
}

}  // namespace parcae::ckpt
