// A stage's shards written on a background thread (see shard_writer.hpp).
#include "parcae/ckpt/shard_writer.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "parcae/ckpt/shard_file.hpp"
#include "parcae/util/parallel_copy.hpp"
#include "parcae/util/stopwatch.hpp"

namespace parcae::ckpt {

ShardWriter::~ShardWriter() {
  if (pending_.valid()) pending_.wait();
}


namespace {

void copy_into(std::span<const model::Shard> shards, std::vector<model::Shard>& copies,
               bool all_threads) {
  // Copies into the buffers of the previous submission: same sizes checkpoint
  // after checkpoint, so no allocation and no page faults after the first.
  // A copy the caller waits for is shared by every thread of the process;
  // one overlapping training takes one thread, not theirs.
  copies.resize(shards.size());
  for (std::size_t i = 0; i < shards.size(); ++i) {
    copies[i].layer = shards[i].layer;
    copies[i].step = shards[i].step;
    for (auto [from, to] : {std::pair{&shards[i].param, &copies[i].param},
                            std::pair{&shards[i].adam_m, &copies[i].adam_m},
                            std::pair{&shards[i].adam_v, &copies[i].adam_v}}) {
      to->resize(from->size());
      util::parallel_copy(to->data(), from->data(), from->size() * sizeof(float), all_threads);
    }
  }
}

}  // namespace

void ShardWriter::submit(const fs::path& step_dir, const model::GptConfig& cfg,
                         std::span<const model::Shard> shards) {
  if (pending_.valid()) pending_.get();  // rethrows the previous write's error
  const util::Stopwatch copying;
  copy_into(shards, copies_, /*all_threads=*/true);
  copy_seconds_ = copying.seconds();
  start_writing(step_dir, cfg);
}

void ShardWriter::submit(const fs::path& step_dir, const model::GptConfig& cfg,
                         std::vector<model::Shard>&& shards) {
  if (pending_.valid()) pending_.get();
  copies_ = std::move(shards);
  copy_seconds_ = 0;
  start_writing(step_dir, cfg);
}

void ShardWriter::start_writing(const fs::path& step_dir, const model::GptConfig& cfg) {
  pending_ = std::async(std::launch::async, [this, step_dir, cfg] {
    return write_shards(step_dir, cfg, copies_);
  });
}

std::vector<model::Shard> ShardWriter::take_buffers() {
  if (copied_.valid()) copied_.wait();
  copied_ = {};
  if (pending_.valid()) pending_.wait();  // its error, if any, stays for wait() or submit()
  std::vector<model::Shard> out = std::move(copies_);
  copies_.clear();
  return out;
}

void ShardWriter::submit_overlapped(const fs::path& step_dir, const model::GptConfig& cfg,
                                    std::span<const model::Shard> shards) {
  submit_overlapped(step_dir, cfg,
                    [shards](std::vector<model::Shard>& buffers) {
                      copy_into(shards, buffers, /*all_threads=*/false);
                    });
}

void ShardWriter::submit_overlapped(const fs::path& step_dir, const model::GptConfig& cfg,
                                    Fill fill) {
  if (pending_.valid()) pending_.get();
  std::promise<void> copy_done;
  copied_ = copy_done.get_future();
  pending_ = std::async(std::launch::async, [this, step_dir, cfg, fill = std::move(fill),
                                             done = std::move(copy_done)]() mutable {
    try {
      const util::OneThreadCopies one_thread;  // the training's threads stay its own
      fill(copies_);
    } catch (...) {
      done.set_exception(std::current_exception());
      throw;
    }
    done.set_value();
    return write_shards(step_dir, cfg, copies_);
  });
}

double ShardWriter::wait_copied() {
  const util::Stopwatch waiting;
  if (copied_.valid()) copied_.get();
  copy_seconds_ = waiting.seconds();
  return copy_seconds_;
}

std::vector<ShardRecord> ShardWriter::wait() {
  if (copied_.valid()) copied_.wait();
  copied_ = {};
  if (!pending_.valid()) return {};
  return pending_.get();
}

bool ShardWriter::busy() const {
  return pending_.valid() &&
         pending_.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
}

}  // namespace parcae::ckpt
