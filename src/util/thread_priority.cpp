// The calling thread's priority (see thread_priority.hpp).
#include "parcae/util/thread_priority.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace parcae::util {

bool yield_to_other_threads() {
  // PRIO_PROCESS with a thread id sets that thread's nice value alone.
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  return ::setpriority(PRIO_PROCESS, tid, 19) == 0;
}

}  // namespace parcae::util
