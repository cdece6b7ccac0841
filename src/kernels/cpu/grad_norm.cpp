// Global gradient-norm clipping in two halves: a partial sum of squares that
// stages (and ranks) can add up, then one scale by min(1, clip / norm).
#include <vector>

#include <omp.h>

#include "parcae/kernels/cpu.hpp"

namespace parcae::kernels::cpu {

double grad_sq_norm(const float* grads, std::int64_t N) {
  // Double accumulation: 124M float squares summed in float would lose digits.
  // Partial sums are added in thread order (an OpenMP reduction's order is
  // unspecified), so the same thread count always gives the same bits.
  const int threads = omp_get_max_threads();
  std::vector<double> partial(threads, 0.0);
#pragma omp parallel num_threads(threads)
  {
    double sum = 0.0;
#pragma omp for schedule(static)
    for (std::int64_t i = 0; i < N; ++i) sum += static_cast<double>(grads[i]) * grads[i];
    partial[omp_get_thread_num()] = sum;
  }
  double total = 0.0;
  for (double p : partial) total += p;
  return total;
}

void scale(float* x, std::int64_t N, float factor) {
#pragma omp parallel for simd
  for (std::int64_t i = 0; i < N; ++i) x[i] *= factor;
}

}  // namespace parcae::kernels::cpu
