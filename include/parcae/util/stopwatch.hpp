#pragma once
// Elapsed wall time on the monotonic clock: the one timer of the tree.
#include <chrono>
#include <ctime>

namespace parcae::util {

class Stopwatch {
 public:
  using Clock = std::chrono::steady_clock;
  Stopwatch() : start_(Clock::now()) {}
  void restart() { start_ = Clock::now(); }
  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  double ms() const { return seconds() * 1e3; }

 private:
  Clock::time_point start_;
};

// CPU time of the calling thread: what a benchmark on a shared machine should
// report, since other processes' load inflates wall time but not this.
class CpuStopwatch {
 public:
  CpuStopwatch() : start_(now()) {}
  void restart() { start_ = now(); }
  double ms() const { return (now() - start_) * 1e3; }

 private:
  static double now() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
  }
  double start_;
};

}  // namespace parcae::util
