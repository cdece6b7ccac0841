#pragma once
// XXH3 of buffers handed in one by one, computed on a helper thread: a rank
// that receives shards (its own thread busy with MPI's copies into the next
// buffers) hands each buffer over as it lands and has its checksum without
// a pass of its own after the last copy. The thread never calls MPI. The
// digests do not depend on the order or timing of the hand-overs.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace parcae::util {

class HashingThread {
 public:
  // Starts the thread, with room for digests of items 0 .. items - 1.
  explicit HashingThread(std::size_t items);
  // Joins the thread; what was not yet hashed is dropped (after an error).
  ~HashingThread();
  HashingThread(const HashingThread&) = delete;
  HashingThread& operator=(const HashingThread&) = delete;

  // Queues item `id`: `bytes` at `data`, left unchanged until finish() returns.
  void hash(std::size_t id, const void* data, std::size_t bytes);
  template <class T>
  void hash(std::size_t id, std::span<const T> values) {
    hash(id, values.data(), values.size_bytes());
  }
  // Waits until every queued item is hashed, joins the thread and returns
  // xxh3_64 of each item by id (0 for an id never queued). Call once.
  std::vector<std::uint64_t> finish();

 private:
  struct Item {
    std::size_t id;
    const void* data;
    std::size_t bytes;
  };
  void run();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Item> queue_;
  bool closing_ = false, dropping_ = false;
  std::vector<std::uint64_t> digests_;
  std::thread thread_;
};

}  // namespace parcae::util
