// Global gradient-norm clipping in two halves: a partial sum of squares that
// stages (and ranks) can add up, then one scale by min(1, clip / norm).
#include <vector>

#include <omp.h>

#include "parcae/kernels/cpu.hpp"
#include "parallel.hpp"

namespace parcae::kernels::cpu {

double grad_sq_norm(const float* grads, std::int64_t N) {
  // Double accumulation: 124M float squares summed in float would lose digits.
  // Each thread sums a fixed contiguous range, in SIMD lanes (one running sum
  // would wait on the adder's latency for every element: 4x slower than
  // reading the memory); the partial sums are added in thread order (an
  // OpenMP reduction's order is unspecified), so the same thread count always
  // gives the same bits.
  const int threads = N >= kParallelMinElements ? omp_get_max_threads() : 1;
  std::vector<double> partial(threads, 0.0);
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const std::int64_t lo = N * t / nt, hi = N * (t + 1) / nt;
    double sum = 0.0;
#pragma omp simd reduction(+ : sum)
    for (std::int64_t i = lo; i < hi; ++i) sum += static_cast<double>(grads[i]) * grads[i];
    partial[t] = sum;
  }
  double total = 0.0;
  for (double p : partial) total += p;
  return total;
}

void scale(float* x, std::int64_t N, float factor) {
#pragma omp parallel for simd if (parallel : N >= kParallelMinElements)
  for (std::int64_t i = 0; i < N; ++i) x[i] *= factor;
}

}  // namespace parcae::kernels::cpu
