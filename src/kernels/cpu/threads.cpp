// One thread count for OpenMP and OpenBLAS (see threads.hpp).
#include "parcae/kernels/threads.hpp"

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>

#include "parcae/error.hpp"

namespace parcae::kernels {

int max_threads() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

int set_threads(std::optional<int> requested) {
  // omp_get_max_threads() is OMP_NUM_THREADS's first value, or every core.
  const int n = requested ? *requested : omp_get_max_threads();
  if (n < 1 || n > max_threads()) {
    const char* env = std::getenv("OMP_NUM_THREADS");
    const std::string source =
        requested ? "--threads " + std::to_string(n)
                  : "OMP_NUM_THREADS=" + std::string(env != nullptr ? env : std::to_string(n));
    throw InputError(source + " is outside [1, " + std::to_string(max_threads()) +
                     "] (this machine's cores)");
  }
  omp_set_num_threads(n);
  openblas_set_num_threads(n);
  return n;
}

}  // namespace parcae::kernels
