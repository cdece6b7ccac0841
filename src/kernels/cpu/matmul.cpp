// Matmul + bias: the linear layers, through CBLAS (OpenBLAS) SGEMM.
//
// Threads: every GEMM is split by output columns across the OpenMP threads,
// each calling a single-threaded SGEMM on its block. Letting OpenBLAS thread
// itself instead puts two pools on the same cores (its pthreads and our
// OpenMP threads, which spin-wait between regions), and they take the cores
// from each other: a gpt2-124m step on 2 cores ran 1.4-1.7x slower that way
// than with OMP_WAIT_POLICY=passive (docs/perf.md). One pool has no such fight, and
// a column block also lets the bias and its gradient be done on the block the
// thread just wrote, while it is in cache.
#include <algorithm>

#include <cblas.h>
#include <omp.h>

#include "parcae/kernels/cpu.hpp"
#include "parallel.hpp"

namespace parcae::kernels::cpu {

namespace {

// Column blocks are multiples of 16 floats (one 64-byte line, an AVX-512
// register): whole lines per thread, and the BLAS micro-kernels' widths.
constexpr int kColumnAlign = 16;

// Calls block(lo, hi) once per OpenMP thread with its share of the columns
// [0, n), contiguous and aligned. Inside an enclosing parallel region (or with
// one thread) the caller's thread does all of [0, n) with BLAS as configured.
template <class Block>
void for_column_blocks(int n, const Block& block) {
  const int blocks = (n + kColumnAlign - 1) / kColumnAlign;
  const int threads = omp_in_parallel() ? 1 : std::min(omp_get_max_threads(), blocks);
  if (threads <= 1) {
    block(0, n);
    return;
  }
  SingleThreadedBlas single;
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int lo = std::min(n, blocks * t / nt * kColumnAlign);
    const int hi = std::min(n, blocks * (t + 1) / nt * kColumnAlign);
    if (lo < hi) block(lo, hi);
  }
}

}  // namespace

void matmul_forward(float* out, const float* inp, const float* weight, const float* bias, int N,
                    int C, int OC) {
  // out[N,OC] = inp[N,C] @ weight[OC,C]^T, columns [lo,hi) of out from rows
  // [lo,hi) of weight.
  for_column_blocks(OC, [&](int lo, int hi) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, hi - lo, C, 1.0f, inp, C,
                weight + static_cast<std::int64_t>(lo) * C, C, 0.0f, out + lo, OC);
    if (bias == nullptr) return;
    for (int n = 0; n < N; ++n) {
      float* row = out + static_cast<std::int64_t>(n) * OC;
      for (int o = lo; o < hi; ++o) row[o] += bias[o];
    }
  });
}

void matmul_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                     const float* inp, const float* weight, int N, int C, int OC) {
  // Differentiates: out[N,OC] = inp[N,C] @ weight[OC,C]^T + bias
  // dinp[N,C] += dout[N,OC] @ weight[OC,C], columns [lo,hi) of dinp from
  // columns [lo,hi) of weight.
  for_column_blocks(C, [&](int lo, int hi) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, hi - lo, OC, 1.0f, dout, OC,
                weight + lo, C, 1.0f, dinp + lo, C);
  });
  // dweight[OC,C] += dout[N,OC]^T @ inp[N,C], rows [lo,hi) of dweight from
  // columns [lo,hi) of dout; dbias[o] += sum_n dout[n,o] on the same columns.
  // Each dbias[o] is summed over n in order by one thread: the same bits for
  // any thread count.
  for_column_blocks(OC, [&](int lo, int hi) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, hi - lo, C, N, 1.0f, dout + lo, OC, inp,
                C, 1.0f, dweight + static_cast<std::int64_t>(lo) * C, C);
    if (dbias == nullptr) return;
    for (int n = 0; n < N; ++n) {
      const float* row = dout + static_cast<std::int64_t>(n) * OC;
      for (int o = lo; o < hi; ++o) dbias[o] += row[o];
    }
  });
}

}  // namespace parcae::kernels::cpu
