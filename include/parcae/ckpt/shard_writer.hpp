#pragma once
// Asynchronous checkpoint writes for one stage: submit() copies the stage's
// shards, or adopts a host copy the caller made (the only time the caller
// waits, besides a previous write still running), and a background thread
// writes them (write_shard) while training goes on. Plain C++ threads, no MPI: the caller gathers the records and has
// one rank write the manifest once every stage's wait() returned.
#include <filesystem>
#include <memory>
#include <future>
#include <span>
#include <vector>

#include "parcae/ckpt/manifest.hpp"
#include "parcae/model/config.hpp"
#include "parcae/model/shard.hpp"
#include "parcae/util/shared_copy.hpp"

namespace parcae::ckpt {

namespace fs = std::filesystem;

class ShardWriter {
 public:
  ShardWriter() = default;
  // Waits for a write in flight (its error, if any, is dropped: call wait()
  // to see it).
  ~ShardWriter();
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;

  // Waits for the previous submission (rethrowing its error; its records are
  // dropped if wait() was not called), copies `shards` into the writer's own
  // buffers (reused from one checkpoint to the next), and starts writing them
  // into `step_dir`. Returns once the copy is done.
  void submit(const fs::path& step_dir, const model::GptConfig& cfg,
              std::span<const model::Shard> shards);
  // The same without a copy: the writer takes `shards` (a host copy nobody
  // else changes) as they are; copy_seconds() is then 0.
  void submit(const fs::path& step_dir, const model::GptConfig& cfg,
              std::vector<model::Shard>&& shards);
  // The shards of the last submission, once written, for the caller to fill
  // with the next checkpoint's state and submit again: their buffers have
  // the sizes already, so that copy allocates nothing and faults no page in.
  // Waits for a write still running; its records are dropped unless wait()
  // was called first. Empty before the first submission.
  std::vector<model::Shard> take_buffers();
  // The same, with the copy itself on the writer's thread too, so it can
  // overlap the next step's forward and backward, which only read the state:
  // returns at once, and the caller must leave `shards` unchanged (and alive)
  // until wait_copied() returns, i.e. call it before the next optimizer update.
  void submit_overlapped(const fs::path& step_dir, const model::GptConfig& cfg,
                         std::span<const model::Shard> shards);
  // One layer's state where it lives (host memory), to be copied.
  struct Source {
    int layer = 0;
    std::int64_t step = 0;
    const float* param = nullptr;
    const float* adam_m = nullptr;
    const float* adam_v = nullptr;
    std::size_t floats = 0;  // of each of the three
  };
  // The same for state that is not held as shards (a CPU compute::Stage's):
  // returns at once; the writer's thread, at the lowest priority
  // (util::yield_to_other_threads: it takes the cycles training leaves),
  // copies the state into the previous submission's buffers (same sizes: no
  // allocation) block by block, and wait_copied() has the caller's OpenMP
  // threads finish the blocks left (util::SharedCopy). The memory must stay
  // unchanged and alive until wait_copied() returns.
  void submit_overlapped(const fs::path& step_dir, const model::GptConfig& cfg,
                         const std::vector<Source>& sources);
  // Returns once the copy of the last submit_overlapped is done, finishing it
  // on the caller's OpenMP threads, and returns the seconds that took: that
  // checkpoint's stall, also what copy_seconds() says then. 0 at once when
  // nothing is being copied.
  double wait_copied();

  // The records of the last submission once all its files are written, in
  // the order submitted; rethrows its error (IoError, ...). Empty when nothing
  // was submitted since the last wait().
  std::vector<ShardRecord> wait();
  // True while a submission is being written (wait() would block).
  bool busy() const;
  // Seconds the last submit() spent copying, or the last wait_copied()
  // waited: the caller's stall.
  double copy_seconds() const { return copy_seconds_; }

 private:
  void start_writing(const fs::path& step_dir, const model::GptConfig& cfg);

  std::vector<model::Shard> copies_;
  std::shared_ptr<util::SharedCopy> copy_;  // of the last submit_overlapped, until wait_copied
  std::future<std::vector<ShardRecord>> pending_;
  double copy_seconds_ = 0;
};

}  // namespace parcae::ckpt
