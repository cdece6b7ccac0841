// A stage's shards written on a background thread (see shard_writer.hpp).
#include "parcae/ckpt/shard_writer.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "parcae/ckpt/shard_file.hpp"
#include "parcae/util/parallel_copy.hpp"
#include "parcae/util/stopwatch.hpp"
#include "parcae/util/thread_priority.hpp"

namespace parcae::ckpt {

ShardWriter::~ShardWriter() {
  if (pending_.valid()) pending_.wait();
}

namespace {

void copy_into(std::span<const model::Shard> shards, std::vector<model::Shard>& copies) {
  // Copies into the buffers of the previous submission: same sizes checkpoint
  // after checkpoint, so no allocation and no page faults after the first.
  // The caller waits for it, so every thread of the process shares it.
  copies.resize(shards.size());
  for (std::size_t i = 0; i < shards.size(); ++i) {
    copies[i].layer = shards[i].layer;
    copies[i].step = shards[i].step;
    for (auto [from, to] : {std::pair{&shards[i].param, &copies[i].param},
                            std::pair{&shards[i].adam_m, &copies[i].adam_m},
                            std::pair{&shards[i].adam_v, &copies[i].adam_v}}) {
      to->resize(from->size());
      util::parallel_copy(to->data(), from->data(), from->size() * sizeof(float));
    }
  }
}

}  // namespace

void ShardWriter::submit(const fs::path& step_dir, const model::GptConfig& cfg,
                         std::span<const model::Shard> shards) {
  if (pending_.valid()) pending_.get();  // rethrows the previous write's error
  copy_.reset();
  const util::Stopwatch copying;
  copy_into(shards, copies_);
  copy_seconds_ = copying.seconds();
  start_writing(step_dir, cfg);
}

void ShardWriter::submit(const fs::path& step_dir, const model::GptConfig& cfg,
                         std::vector<model::Shard>&& shards) {
  if (pending_.valid()) pending_.get();
  copy_.reset();
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
  if (copy_) copy_->finish();
  if (pending_.valid()) pending_.wait();
  copy_.reset();  // its error, if any, stays for wait() or submit()
  std::vector<model::Shard> out = std::move(copies_);
  copies_.clear();
  return out;
}

void ShardWriter::submit_overlapped(const fs::path& step_dir, const model::GptConfig& cfg,
                                    std::span<const model::Shard> shards) {
  std::vector<Source> sources;
  for (const auto& s : shards) {
    sources.push_back({s.layer, s.step, s.param.data(), s.adam_m.data(), s.adam_v.data(),
                       s.param.size()});
  }
  submit_overlapped(step_dir, cfg, sources);
}

void ShardWriter::submit_overlapped(const fs::path& step_dir, const model::GptConfig& cfg,
                                    const std::vector<Source>& sources) {
  if (pending_.valid()) pending_.get();
  copies_.resize(sources.size());
  std::vector<util::SharedCopy::Range> ranges;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const Source& from = sources[i];
    model::Shard& to = copies_[i];
    to.layer = from.layer;
    to.step = from.step;
    for (auto [src, dst] : {std::pair{from.param, &to.param}, std::pair{from.adam_m, &to.adam_m},
                            std::pair{from.adam_v, &to.adam_v}}) {
      dst->resize(from.floats);  // the same size as last time: nothing allocated
      ranges.push_back({dst->data(), src, from.floats * sizeof(float)});
    }
  }
  copy_ = std::make_shared<util::SharedCopy>(ranges);
  pending_ = std::async(std::launch::async, [this, step_dir, cfg, copy = copy_] {
    // (shares the copy: the caller may finish it and let go before this thread starts)
    // Beside training, this thread takes only the cycles training leaves;
    // what is left of the copy at the next update, the training threads do.
    util::yield_to_other_threads();
    copy->work();
    copy->wait();  // blocks the caller's threads may still be copying
    return write_shards(step_dir, cfg, copies_);
  });
}

double ShardWriter::wait_copied() {
  const util::Stopwatch waiting;
  if (copy_) copy_->finish();
  copy_seconds_ = waiting.seconds();
  return copy_seconds_;
}

std::vector<ShardRecord> ShardWriter::wait() {
  if (copy_) copy_->finish();  // the write waits for the copy: help it
  copy_.reset();
  if (!pending_.valid()) return {};
  return pending_.get();
}

bool ShardWriter::busy() const {
  return pending_.valid() &&
         pending_.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
}

}  // namespace parcae::ckpt
