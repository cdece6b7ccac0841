#pragma once
// When an element-wise kernel is worth an OpenMP parallel region.
#include <cstdint>

namespace parcae::kernels::cpu {

// Below this many elements a kernel runs on the calling thread. A parallel
// region costs a fork and a barrier: microseconds on idle cores, but on a
// shared machine a thread that has lost its core makes the other wait up to a
// scheduler time slice (milliseconds), at every region. A gpt2-124m step's
// AdamW alone opened ~150 regions, most for biases and gains of 768 floats
// (docs/perf.md); 64k floats take tens of microseconds on one core.
constexpr std::int64_t kParallelMinElements = std::int64_t{1} << 16;

}  // namespace parcae::kernels::cpu
