// A stage's shards written on a background thread (see shard_writer.hpp).
#include "parcae/ckpt/shard_writer.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

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
  // The copy is the caller's stall, so every thread of the process shares it,
  // in blocks of 1 MiB.
  copies_.resize(shards.size());
  struct Block {
    const float* from;
    float* to;
    std::size_t floats;
  };
  std::vector<Block> blocks;
  constexpr std::size_t kBlock = 1 << 18;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    copies_[i].layer = shards[i].layer;
    copies_[i].step = shards[i].step;
    for (auto [from, to] : {std::pair{&shards[i].param, &copies_[i].param},
                            std::pair{&shards[i].adam_m, &copies_[i].adam_m},
                            std::pair{&shards[i].adam_v, &copies_[i].adam_v}}) {
      to->resize(from->size());
      for (std::size_t at = 0; at < from->size(); at += kBlock) {
        blocks.push_back({from->data() + at, to->data() + at, std::min(kBlock, from->size() - at)});
      }
    }
  }
  const auto n = static_cast<std::int64_t>(blocks.size());
#pragma omp parallel for schedule(static)
  for (std::int64_t b = 0; b < n; ++b) {
    std::memcpy(blocks[b].to, blocks[b].from, blocks[b].floats * sizeof(float));
  }
  copy_seconds_ = copying.seconds();
  pending_ = std::async(std::launch::async, [this, step_dir, cfg] {
    return write_shards(step_dir, cfg, copies_);
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
