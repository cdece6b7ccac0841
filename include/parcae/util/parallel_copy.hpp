#pragma once
// memcpy of a large host buffer split across the process's OpenMP threads:
// a copy that the caller waits for (a checkpoint's copy of the state, a
// stage's upload or download) while those threads have nothing else to do.
// One thread moves ~10 GB/s here, less than a socket's memory can.
#include <cstddef>

namespace parcae::util {

// Copies `bytes` from `src` to `dst` (not overlapping); in 1 MiB blocks over
// the OpenMP threads when it is at least 8 MiB and `all_threads`, by one
// memcpy otherwise (inside a parallel region the blocks stay on its thread).
void parallel_copy(void* dst, const void* src, std::size_t bytes, bool all_threads = true);

}  // namespace parcae::util
