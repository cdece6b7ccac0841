// The kernels on several OpenMP threads. ctest pins OMP_NUM_THREADS=1, which
// would leave the parallel paths (the GEMMs split by columns, the per-thread
// partial sums) untested; these tests ask for 3 threads, an odd count that
// splits every size here unevenly.
#include <omp.h>

#include <cblas.h>
#include <gtest/gtest.h>

#include "kernels/check.hpp"
#include "kernels/reference.hpp"
#include "parcae/kernels/cpu.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

// Sets the OpenMP and OpenBLAS thread counts for one test, as the CLI's
// --threads does, and restores them.
class Threads {
 public:
  explicit Threads(int n) : omp_(omp_get_max_threads()), blas_(openblas_get_num_threads()) {
    omp_set_num_threads(n);
    openblas_set_num_threads(n);
  }
  ~Threads() {
    omp_set_num_threads(omp_);
    openblas_set_num_threads(blas_);
  }

 private:
  int omp_, blas_;
};

// N rows, C in, OC out: OC = 100 is 7 column blocks of 16 (the last one
// partial), C = 70 is 5.
void check_threaded_matmul(int threads) {
  const int N = 37, C = 70, OC = 100;
  Rng rng(21);
  const auto inp = random_vector(rng, N * C), w = random_vector(rng, OC * C, 0.2);
  const auto bias = random_vector(rng, OC), dout = random_vector(rng, N * OC);
  auto dinp = random_vector(rng, N * C), dw = random_vector(rng, OC * C), db = random_vector(rng, OC);
  auto dinp_f = to_float(dinp), dw_f = to_float(dw), db_f = to_float(db);

  std::vector<double> out(N * OC);
  reference::matmul_forward(out.data(), inp.data(), w.data(), bias.data(), N, C, OC);
  reference::matmul_backward(dinp.data(), dw.data(), db.data(), dout.data(), inp.data(), w.data(),
                             N, C, OC);
  std::vector<float> out_f(out.size());
  {
    Threads scope(threads);
    kernels::cpu::matmul_forward(out_f.data(), to_float(inp).data(), to_float(w).data(),
                                 to_float(bias).data(), N, C, OC);
    kernels::cpu::matmul_backward(dinp_f.data(), dw_f.data(), db_f.data(), to_float(dout).data(),
                                  to_float(inp).data(), to_float(w).data(), N, C, OC);
    // The split runs OpenBLAS single-threaded and then gives the setting back.
    EXPECT_EQ(openblas_get_num_threads(), threads);
  }
  EXPECT_LE(rel_error(out_f, out), kFloatTolerance) << threads << " threads";
  EXPECT_LE(rel_error(dinp_f, dinp), kFloatTolerance) << threads << " threads";
  EXPECT_LE(rel_error(dw_f, dw), kFloatTolerance) << threads << " threads";
  EXPECT_LE(rel_error(db_f, db), kFloatTolerance) << threads << " threads";
}

TEST(Threads, MatmulSplitByColumnsMatchesReference) {
  check_threaded_matmul(1);
  check_threaded_matmul(3);
}

TEST(Threads, MatmulBiasGradientHasTheSameBitsForAnyThreadCount) {
  const int N = 45, C = 20, OC = 50;
  Rng rng(22);
  const auto inp = to_float(random_vector(rng, N * C)), w = to_float(random_vector(rng, OC * C));
  const auto dout = to_float(random_vector(rng, N * OC));
  auto run = [&](int threads) {
    Threads scope(threads);
    std::vector<float> dinp(N * C, 0.0f), dw(OC * C, 0.0f), db(OC, 0.0f);
    kernels::cpu::matmul_backward(dinp.data(), dw.data(), db.data(), dout.data(), inp.data(),
                                  w.data(), N, C, OC);
    return db;
  };
  EXPECT_EQ(run(1), run(3));
}

TEST(Threads, AdamWAndGeluMatchOneThread) {
  const std::int64_t N = 100003;  // above kParallelMinElements: the threads share it
  Rng rng(23);
  const auto g = to_float(random_vector(rng, N)), x = to_float(random_vector(rng, N, 3.0));
  const kernels::AdamW hp{.lr = 1e-3f, .weight_decay = 0.1f};
  auto run = [&](int threads) {
    Threads scope(threads);
    std::vector<float> p(x), m(N, 0.01f), v(N, 0.02f), y(N), dx(N, 0.0f);
    kernels::cpu::adamw_update(p.data(), g.data(), m.data(), v.data(), N, hp, 3);
    kernels::cpu::gelu_forward(y.data(), x.data(), N);
    kernels::cpu::gelu_backward(dx.data(), g.data(), x.data(), N);
    p.insert(p.end(), y.begin(), y.end());
    p.insert(p.end(), dx.begin(), dx.end());
    return p;
  };
  // Element-wise kernels: each element's arithmetic does not depend on the
  // thread that does it.
  EXPECT_EQ(run(1), run(3));
}

}  // namespace
}  // namespace parcae
