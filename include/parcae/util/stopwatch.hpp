#pragma once
// Elapsed wall time on the monotonic clock: the one timer of the tree.
#include <chrono>

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

}  // namespace parcae::util
