// Checksums on a helper thread (see hashing_thread.hpp).
#include "parcae/util/hashing_thread.hpp"

#include <stdexcept>

namespace parcae::util {

HashingThread::HashingThread(std::size_t items) : streams_(items) {
  if (items > 0) thread_ = std::thread([this] { run(); });  // (a rank that only sends has none)
}

HashingThread::~HashingThread() {
  if (!thread_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    closing_ = dropping_ = true;
  }
  ready_.notify_one();
  thread_.join();
}

void HashingThread::hash(std::size_t id, const void* data, std::size_t bytes) {
  if (id >= streams_.size()) throw std::out_of_range("HashingThread: item out of range");
  // Made here, so a failed allocation throws to the caller, not on the
  // thread; the thread reaches it only through a piece queued after it.
  if (streams_[id] == nullptr) streams_[id] = std::make_unique<Xxh3Stream>();
  {
    const std::lock_guard lock(mutex_);
    queue_.push_back({id, data, bytes});
  }
  ready_.notify_one();
}

std::vector<std::uint64_t> HashingThread::finish() {
  if (thread_.joinable()) {
    {
      const std::lock_guard lock(mutex_);
      closing_ = true;
    }
    ready_.notify_one();
    thread_.join();  // the join publishes the thread's streams to this one
  }
  std::vector<std::uint64_t> digests(streams_.size(), 0);
  for (std::size_t id = 0; id < streams_.size(); ++id) {
    if (streams_[id] != nullptr) digests[id] = streams_[id]->digest();
  }
  return digests;
}

void HashingThread::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    if (dropping_ || queue_.empty()) return;  // closing with nothing left, or giving up
    const Piece piece = queue_.front();
    queue_.pop_front();
    lock.unlock();
    streams_[piece.id]->update(piece.data, piece.bytes);
    lock.lock();
  }
}

}  // namespace parcae::util
