// Memory from the C library (see memory_policy.hpp).
#include "memory_policy.hpp"

#include <malloc.h>

#include <climits>

namespace parcae::cli {

void keep_freed_memory() {
  mallopt(M_MMAP_MAX, 0);             // no block gets its own mapping
  mallopt(M_TRIM_THRESHOLD, INT_MAX);  // keep freed heap top (up to 2 GiB)
}

}  // namespace parcae::cli
