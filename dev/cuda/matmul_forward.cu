// The GEMM workshop: matmul_forward's product out[M,N] = inp[M,K] @ weight[N,K]^T
// in numbered versions, each checked against cuBLAS and timed beside it in the
// same run (as llm.c's dev/cuda does). Only the winner moves to src/kernels/cuda.
//   1  naive: a thread per output, straight from global memory
//   2  tiled SIMT, float32: shared-memory tiles and a 4x4 register block per
//      thread (the product's kernel, src/kernels/cuda/gemm.cuh, included as is)
//   3  tensor cores, TF32 in / float32 accumulate (WMMA 16x16x8), a warp per
//      16x16 tile straight from global memory: the first step, not yet tiled
// References: cuBLAS SGEMM (FP32 SIMT) and cuBLAS with TF32 tensor-op math.
// usage: ./matmul_forward [M N K]   (default 4096 4096 4096; M, N multiples of 16, K of 8)
#include <mma.h>

#include <cstdio>
#include <cstdlib>

#include "../../src/kernels/cuda/gemm.cuh"
#include "common.cuh"

namespace {

__global__ void matmul_naive(float* out, const float* inp, const float* weight, int M, int N,
                             int K) {
  const int n = blockIdx.x * blockDim.x + threadIdx.x, m = blockIdx.y * blockDim.y + threadIdx.y;
  if (m >= M || n >= N) return;
  float s = 0.0f;
  for (int k = 0; k < K; ++k) s += inp[std::size_t(m) * K + k] * weight[std::size_t(n) * K + k];
  out[std::size_t(m) * N + n] = s;
}

using namespace nvcuda;

// A warp per 16x16 tile of out; B = weight read as a column-major K x N matrix.
__global__ void matmul_wmma_tf32(float* out, const float* inp, const float* weight, int M, int N,
                                 int K) {
  const int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
  const int tiles_n = N / 16;
  const int tm = warp / tiles_n, tn = warp % tiles_n;
  if (tm * 16 >= M) return;
  wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> a;
  wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::col_major> b;
  wmma::fragment<wmma::accumulator, 16, 16, 8, float> c;
  wmma::fill_fragment(c, 0.0f);
  for (int k = 0; k < K; k += 8) {
    wmma::load_matrix_sync(a, inp + std::size_t(tm) * 16 * K + k, K);
    wmma::load_matrix_sync(b, weight + std::size_t(tn) * 16 * K + k, K);
    for (int i = 0; i < a.num_elements; ++i) a.x[i] = wmma::__float_to_tf32(a.x[i]);
    for (int i = 0; i < b.num_elements; ++i) b.x[i] = wmma::__float_to_tf32(b.x[i]);
    wmma::mma_sync(c, a, b, c);
  }
  wmma::store_matrix_sync(out + std::size_t(tm) * 16 * N + tn * 16, c, N, wmma::mem_row_major);
}

void run_version(int version, float* out, const float* inp, const float* weight, int M, int N,
                 int K) {
  switch (version) {
    case 1: {
      const dim3 block(16, 16), grid((N + 15) / 16, (M + 15) / 16);
      matmul_naive<<<grid, block>>>(out, inp, weight, M, N, K);
      break;
    }
    case 2:
      parcae::kernels::cuda::gemm_tiled<false, true>(out, inp, weight, nullptr, M, N, K, K, K, N,
                                                     false);
      break;
    case 3: {
      const long warps = long(M / 16) * (N / 16);
      matmul_wmma_tf32<<<(warps * 32 + 255) / 256, 256>>>(out, inp, weight, M, N, K);
      break;
    }
  }
  CUDA_CHECK(cudaGetLastError());
}

}  // namespace

int main(int argc, char** argv) {
  const int M = argc > 3 ? std::atoi(argv[1]) : 4096, N = argc > 3 ? std::atoi(argv[2]) : 4096,
            K = argc > 3 ? std::atoi(argv[3]) : 4096;
  if (M % 16 || N % 16 || K % 8) {
    std::fprintf(stderr, "M and N must be multiples of 16, K of 8\n");
    return 2;
  }
  cudaDeviceProp prop{};
  CUDA_CHECK(cudaGetDeviceProperties(&prop, 0));
  float* inp = to_device(random_floats(std::size_t(M) * K, 1));
  float* weight = to_device(random_floats(std::size_t(N) * K, 2));
  float *ref = nullptr, *out = nullptr;
  CUDA_CHECK(cudaMalloc(&ref, std::size_t(M) * N * sizeof(float)));
  CUDA_CHECK(cudaMalloc(&out, std::size_t(M) * N * sizeof(float)));
  cublasHandle_t handle;
  CUBLAS_CHECK(cublasCreate(&handle));
  const float one = 1.0f, zero = 0.0f;
  // Row-major out[M,N] is column-major out^T[N,M] = weight[N,K] inp^T.
  auto cublas = [&](float* c) {
    CUBLAS_CHECK(cublasSgemm(handle, CUBLAS_OP_T, CUBLAS_OP_N, N, M, K, &one, weight, K, inp, K,
                             &zero, c, N));
  };
  const double gflop = 2.0 * M * N * K * 1e-9;
  std::printf("matmul_forward %dx%dx%d on %s\n", M, N, K, prop.name);
  CUBLAS_CHECK(cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH));
  const float fp32_ms = time_ms([&] { cublas(ref); });
  const std::vector<float> want = to_host(ref, std::size_t(M) * N);
  CUBLAS_CHECK(cublasSetMathMode(handle, CUBLAS_TF32_TENSOR_OP_MATH));
  const float tf32_ms = time_ms([&] { cublas(out); });
  const double tf32_err = rel_error(to_host(out, std::size_t(M) * N), want);
  std::printf("%-22s %9s %9s %12s %10s\n", "version", "ms", "TFLOP/s", "vs cuBLAS", "rel err");
  std::printf("%-22s %9.3f %9.2f %12s %10s\n", "cuBLAS FP32", fp32_ms, gflop / fp32_ms, "1.00",
              "(ref)");
  std::printf("%-22s %9.3f %9.2f %12s %10.2e\n", "cuBLAS TF32", tf32_ms, gflop / tf32_ms, "1.00",
              tf32_err);
  const char* names[] = {"", "1 naive FP32", "2 tiled SIMT FP32", "3 WMMA TF32"};
  const float refs[] = {0, fp32_ms, fp32_ms, tf32_ms};
  const double tolerances[] = {0, 1e-5, 1e-5, 1e-3};
  int failures = 0;
  for (int v = 1; v <= 3; ++v) {
    CUDA_CHECK(cudaMemset(out, 0xff, std::size_t(M) * N * sizeof(float)));  // NaN: poisoned
    run_version(v, out, inp, weight, M, N, K);
    const double err = rel_error(to_host(out, std::size_t(M) * N), want);
    const bool ok = err <= tolerances[v];
    failures += !ok;
    const float ms = time_ms([&] { run_version(v, out, inp, weight, M, N, K); }, v == 1 ? 3 : 20);
    std::printf("%-22s %9.3f %9.2f %11.2f%% %10.2e%s\n", names[v], ms, gflop / ms,
                100.0 * refs[v] / ms, err, ok ? "" : "  FAIL");
  }
  CUBLAS_CHECK(cublasDestroy(handle));
  return failures == 0 ? 0 : 1;
}
