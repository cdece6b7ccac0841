// A large memcpy over the OpenMP threads (see parallel_copy.hpp).
#include "parcae/util/parallel_copy.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace parcae::util {

void parallel_copy(void* dst, const void* src, std::size_t bytes, bool all_threads) {
  constexpr std::size_t kBlock = std::size_t{1} << 20;
  constexpr std::size_t kParallelFrom = 8 * kBlock;  // below: thread start-up outweighs the gain
  if (bytes == 0) return;
  if (!all_threads || bytes < kParallelFrom) {
    std::memcpy(dst, src, bytes);
    return;
  }
  auto* to = static_cast<char*>(dst);
  const auto* from = static_cast<const char*>(src);
  const auto blocks = static_cast<std::int64_t>((bytes + kBlock - 1) / kBlock);
#pragma omp parallel for schedule(static)
  for (std::int64_t b = 0; b < blocks; ++b) {
    const std::size_t at = static_cast<std::size_t>(b) * kBlock;
    std::memcpy(to + at, from + at, std::min(kBlock, bytes - at));
  }
}

}  // namespace parcae::util
