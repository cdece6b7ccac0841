// A stage's shards written on a background thread (see shard_writer.hpp).
#include "parcae/ckpt/shard_writer.hpp"

#include "parcae/ckpt/shard_file.hpp"
#include "parcae/util/stopwatch.hpp"

namespace parcae::ckpt {

ShardWriter::~ShardWriter() {
  if (pending_.valid()) pending_.wait();
}

void ShardWriter::submit(const fs::path& step_dir, const model::GptConfig& cfg,
                         std::span<const model::Shard> shards) {
  if (pending_.valid()) pending_.get();  // rethrows the previous write's error
  const util::Stopwatch copying;
  // Copies into the buffers of the previous submission: same sizes checkpoint
  // after checkpoint, so no allocation and no page faults after the first.
  copies_.resize(shards.size());
  for (std::size_t i = 0; i < shards.size(); ++i) {
    copies_[i].layer = shards[i].layer;
    copies_[i].step = shards[i].step;
    copies_[i].param.assign(shards[i].param.begin(), shards[i].param.end());
    copies_[i].adam_m.assign(shards[i].adam_m.begin(), shards[i].adam_m.end());
    copies_[i].adam_v.assign(shards[i].adam_v.begin(), shards[i].adam_v.end());
  }
  copy_seconds_ = copying.seconds();
  pending_ = std::async(std::launch::async, [this, step_dir, cfg] {
    std::vector<ShardRecord> records;
    for (const auto& shard : copies_) records.push_back(write_shard(step_dir, cfg, shard));
    return records;
  });
}

std::vector<ShardRecord> ShardWriter::wait() {
  if (!pending_.valid()) return {};
  return pending_.get();
}

bool ShardWriter::busy() const {
  return pending_.valid() &&
         pending_.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
}

}  // namespace parcae::ckpt
