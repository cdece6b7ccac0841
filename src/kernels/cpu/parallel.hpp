#pragma once
// How the CPU kernels share the cores: when an element-wise kernel is worth an
// OpenMP parallel region, and OpenBLAS kept single-threaded inside ours.
#include <cstdint>

#include <cblas.h>

namespace parcae::kernels::cpu {

// Below this many elements a kernel runs on the calling thread. A parallel
// region costs a fork and a barrier: microseconds on idle cores, but on a
// shared machine a thread that has lost its core makes the other wait up to a
// scheduler time slice (milliseconds), at every region. A gpt2-124m step's
// AdamW alone opened ~150 regions, most for biases and gains of 768 floats
// (docs/perf.md); 64k floats take tens of microseconds on one core.
constexpr std::int64_t kParallelMinElements = std::int64_t{1} << 16;

// OpenBLAS single-threaded for the lifetime of the object, then back to the
// caller's setting (OpenBLAS's thread count is process-wide; the CLI sets it).
// Kernels that call SGEMM from several OpenMP threads hold one: OpenBLAS's own
// threads on top of ours would oversubscribe the cores.
class SingleThreadedBlas {
 public:
  SingleThreadedBlas() : saved_(openblas_get_num_threads()) {
    if (saved_ != 1) openblas_set_num_threads(1);
  }
  ~SingleThreadedBlas() {
    if (saved_ != 1) openblas_set_num_threads(saved_);
  }
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  int saved_;
};

}  // namespace parcae::kernels::cpu
