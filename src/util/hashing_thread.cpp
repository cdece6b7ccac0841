// Checksums on a helper thread (see hashing_thread.hpp).
#include "parcae/util/hashing_thread.hpp"

#include <stdexcept>

#include "parcae/util/checksum.hpp"

namespace parcae::util {

HashingThread::HashingThread(std::size_t items) : digests_(items, 0) {
  thread_ = std::thread([this] { run(); });
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
  if (id >= digests_.size()) throw std::out_of_range("HashingThread: item out of range");
  {
    const std::lock_guard lock(mutex_);
    queue_.push_back({id, data, bytes});
  }
  ready_.notify_one();
}

std::vector<std::uint64_t> HashingThread::finish() {
  {
    const std::lock_guard lock(mutex_);
    closing_ = true;
  }
  ready_.notify_one();
  thread_.join();  // the join publishes the thread's digests to this one
  return std::move(digests_);
}

void HashingThread::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    if (dropping_ || queue_.empty()) return;  // closing with nothing left, or giving up
    const Item item = queue_.front();
    queue_.pop_front();
    lock.unlock();
    const std::uint64_t digest = xxh3_64(item.data, item.bytes);
    lock.lock();
    digests_[item.id] = digest;
  }
}

}  // namespace parcae::util
