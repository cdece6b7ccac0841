#pragma once
// XXH3 of buffers handed in one by one, computed on a helper thread: a rank
// that receives shards (its own thread busy with MPI's copies into the next
// buffers) hands each buffer over as it lands and has its checksum without
// a pass of its own after the last copy; a checkpoint reader hands over each
// block of a dataset as it lands, so the block is hashed while the next is
// read. The thread never calls MPI. An item may come in pieces: the pieces
// handed in under one id are hashed as one stream, in the order they were
// handed in, so the digest is xxh3_64 of their concatenation. The digests do
// not depend on the timing of the hand-overs, nor on the order across ids.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "parcae/util/checksum.hpp"

namespace parcae::util {

class HashingThread {
 public:
  // Starts the thread (none for 0 items), with room for digests of items
  // 0 .. items - 1.
  explicit HashingThread(std::size_t items);
  // Joins the thread; what was not yet hashed is dropped (after an error).
  ~HashingThread();
  HashingThread(const HashingThread&) = delete;
  HashingThread& operator=(const HashingThread&) = delete;

  // Queues `bytes` at `data` (left unchanged until finish() returns) as the
  // next piece of item `id`.
  void hash(std::size_t id, const void* data, std::size_t bytes);
  template <class T>
  void hash(std::size_t id, std::span<const T> values) {
    hash(id, values.data(), values.size_bytes());
  }
  // Waits until every queued piece is hashed, joins the thread and returns
  // xxh3_64 of each item (its pieces concatenated) by id (0 for an id never
  // queued). Call once.
  std::vector<std::uint64_t> finish();

 private:
  struct Piece {
    std::size_t id;
    const void* data;
    std::size_t bytes;
  };
  void run();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Piece> queue_;
  bool closing_ = false, dropping_ = false;
  // By id, made by hash() at an id's first piece (none: never queued), then
  // updated by the thread alone until the join in finish().
  std::vector<std::unique_ptr<Xxh3Stream>> streams_;
  std::thread thread_;
};

}  // namespace parcae::util
