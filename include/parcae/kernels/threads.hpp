#pragma once
// How many threads the CPU kernels use: one count for both pools, OpenMP (our
// kernels) and OpenBLAS (its own pthreads in the build we link). Leaving them
// apart oversubscribes the cores; more threads than cores never speeds up a
// kernel and, in the thousands, exhausts memory (each thread has a stack, each
// per-thread partial sum a buffer).
#include <optional>

namespace parcae::kernels {

// The cores of this machine: the most threads a process may ask for.
int max_threads();

// Sets both pools to `requested` threads, or, when absent, to OpenMP's default
// (OMP_NUM_THREADS, else every core). Call before any kernel runs. Throws
// InputError naming `--threads` (or OMP_NUM_THREADS when that is where the
// count came from) when it is outside [1, max_threads()]. Returns the count.
int set_threads(std::optional<int> requested);

}  // namespace parcae::kernels
