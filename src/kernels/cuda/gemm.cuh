#pragma once
// The tiled SIMT GEMM behind matmul_forward/backward (float32 in, float32
// accumulate):  C[M,N] = (accumulate ? C : 0) + op(A)[M,K] op(B)[K,N] (+ bias[n])
// with op(A)(m,k) = TA ? A[k*lda + m] : A[m*lda + k] and likewise for B, so
// the three products of a linear layer (forward, dinp, dweight) need no
// transposed copies.
//
// A block computes a 64x64 tile of C with 256 threads, each a 4x4 register
// block (rows ty + 16 i, columns tx + 16 j: neighbouring threads read
// neighbouring shared-memory words, no bank conflicts). Each step of K stages
// a 16-deep slice of A and B in shared memory, loaded so that consecutive
// threads read consecutive global addresses in either layout. Edges are
// handled by zero-filling the tiles and masking the stores.
#include <cstdint>

#include <cuda_runtime.h>

namespace parcae::kernels::cuda {

constexpr int kGemmTile = 64;   // rows and columns of C per block
constexpr int kGemmDepth = 16;  // K per shared-memory stage
constexpr int kGemmThreads = 256;

template <bool TA, bool TB>
__global__ void __launch_bounds__(kGemmThreads)
    gemm_tiled_kernel(float* C, const float* A, const float* B, const float* bias, int M, int N,
                      int K, int lda, int ldb, int ldc, bool accumulate) {
  __shared__ float As[kGemmDepth][kGemmTile];
  __shared__ float Bs[kGemmDepth][kGemmTile];
  const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
  const int m0 = blockIdx.y * kGemmTile, n0 = blockIdx.x * kGemmTile;
  float acc[4][4] = {};

  for (int k0 = 0; k0 < K; k0 += kGemmDepth) {
    for (int e = tid; e < kGemmDepth * kGemmTile; e += kGemmThreads) {
      // A's slice: along k when A is row-major in k (TA false), along m otherwise.
      const int ak = TA ? e / kGemmTile : e % kGemmDepth;
      const int am = TA ? e % kGemmTile : e / kGemmDepth;
      const int gm = m0 + am, gk = k0 + ak;
      As[ak][am] = gm < M && gk < K
                       ? (TA ? A[std::int64_t{gk} * lda + gm] : A[std::int64_t{gm} * lda + gk])
                       : 0.0f;
      const int bk = TB ? e % kGemmDepth : e / kGemmTile;
      const int bn = TB ? e / kGemmDepth : e % kGemmTile;
      const int gn = n0 + bn, gbk = k0 + bk;
      Bs[bk][bn] = gn < N && gbk < K
                       ? (TB ? B[std::int64_t{gn} * ldb + gbk] : B[std::int64_t{gbk} * ldb + gn])
                       : 0.0f;
    }
    __syncthreads();
#pragma unroll
    for (int k = 0; k < kGemmDepth; ++k) {
      float a[4], b[4];
#pragma unroll
      for (int i = 0; i < 4; ++i) a[i] = As[k][ty + 16 * i];
#pragma unroll
      for (int j = 0; j < 4; ++j) b[j] = Bs[k][tx + 16 * j];
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j) acc[i][j] += a[i] * b[j];
    }
    __syncthreads();
  }

#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const int m = m0 + ty + 16 * i;
    if (m >= M) continue;
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      const int n = n0 + tx + 16 * j;
      if (n >= N) continue;
      float* c = C + std::int64_t{m} * ldc + n;
      *c = (accumulate ? *c : 0.0f) + acc[i][j] + (bias != nullptr ? bias[n] : 0.0f);
    }
  }
}

template <bool TA, bool TB>
void gemm_tiled(float* C, const float* A, const float* B, const float* bias, int M, int N, int K,
                int lda, int ldb, int ldc, bool accumulate) {
  const dim3 grid((N + kGemmTile - 1) / kGemmTile, (M + kGemmTile - 1) / kGemmTile);
  gemm_tiled_kernel<TA, TB><<<grid, kGemmThreads>>>(C, A, B, bias, M, N, K, lda, ldb, ldc,
                                                    accumulate);
}

}  // namespace parcae::kernels::cuda
