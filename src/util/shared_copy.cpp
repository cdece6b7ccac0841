// A copy split in blocks that any thread may take (see shared_copy.hpp).
#include "parcae/util/shared_copy.hpp"

#include <algorithm>
#include <cstring>

namespace parcae::util {

SharedCopy::SharedCopy(const std::vector<Range>& ranges, std::size_t block_bytes) {
  block_bytes = std::max<std::size_t>(block_bytes, 1);
  for (const auto& r : ranges) {
    for (std::size_t at = 0; at < r.bytes; at += block_bytes) {
      blocks_.push_back({static_cast<char*>(r.dst) + at, static_cast<const char*>(r.src) + at,
                         std::min(block_bytes, r.bytes - at)});
    }
  }
}

void SharedCopy::work() {
  for (std::size_t b = next_.fetch_add(1); b < blocks_.size(); b = next_.fetch_add(1)) {
    std::memcpy(blocks_[b].dst, blocks_[b].src, blocks_[b].bytes);
    if (copied_.fetch_add(1, std::memory_order_acq_rel) + 1 == blocks_.size()) copied_.notify_all();
  }
}

void SharedCopy::finish() {
  if (copied_.load(std::memory_order_acquire) < blocks_.size()) {
#pragma omp parallel
    work();
  }
  wait();
}

void SharedCopy::wait() const {
  for (std::size_t c = copied_.load(std::memory_order_acquire); c < blocks_.size();
       c = copied_.load(std::memory_order_acquire)) {
    copied_.wait(c, std::memory_order_acquire);
  }
}

}  // namespace parcae::util
