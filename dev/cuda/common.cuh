#pragma once
// Shared by the workshop's programs: checked CUDA/cuBLAS calls (call, file,
// line), random device buffers, a comparison against a reference, and timing
// with CUDA events. Workshop code only: nothing here is linked into parcae.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <vector>

#include <cublas_v2.h>
#include <cuda_runtime.h>

#define CUDA_CHECK(call)                                                                 \
  do {                                                                                   \
    const cudaError_t err_ = (call);                                                     \
    if (err_ != cudaSuccess) {                                                           \
      std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call,                 \
                   cudaGetErrorString(err_));                                            \
      std::exit(1);                                                                      \
    }                                                                                    \
  } while (0)

#define CUBLAS_CHECK(call)                                                               \
  do {                                                                                   \
    const cublasStatus_t st_ = (call);                                                   \
    if (st_ != CUBLAS_STATUS_SUCCESS) {                                                  \
      std::fprintf(stderr, "%s:%d: %s: cuBLAS status %d\n", __FILE__, __LINE__, #call,   \
                   static_cast<int>(st_));                                               \
      std::exit(1);                                                                      \
    }                                                                                    \
  } while (0)

// Uniform in [-1, 1) from a fixed LCG: the same inputs on every run.
inline std::vector<float> random_floats(std::size_t n, unsigned seed) {
  std::vector<float> v(n);
  unsigned long long s = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  for (auto& x : v) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    x = static_cast<float>((s >> 40) * (1.0 / (1ULL << 24))) * 2.0f - 1.0f;
  }
  return v;
}

inline float* to_device(const std::vector<float>& host) {
  float* d = nullptr;
  CUDA_CHECK(cudaMalloc(&d, host.size() * sizeof(float)));
  CUDA_CHECK(cudaMemcpy(d, host.data(), host.size() * sizeof(float), cudaMemcpyHostToDevice));
  return d;
}

inline std::vector<float> to_host(const float* d, std::size_t n) {
  std::vector<float> host(n);
  CUDA_CHECK(cudaMemcpy(host.data(), d, n * sizeof(float), cudaMemcpyDeviceToHost));
  return host;
}

// ||got - want|| / ||want||, norm-wise.
inline double rel_error(const std::vector<float>& got, const std::vector<float>& want) {
  double diff = 0, norm = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    diff += double(got[i] - want[i]) * (got[i] - want[i]);
    norm += double(want[i]) * want[i];
  }
  return std::sqrt(diff / norm);
}

// Median milliseconds of `repeats` runs of f, after one untimed warm-up.
template <class F>
float time_ms(F&& f, int repeats = 20) {
  f();
  CUDA_CHECK(cudaDeviceSynchronize());
  std::vector<float> ms(repeats);
  cudaEvent_t start, stop;
  CUDA_CHECK(cudaEventCreate(&start));
  CUDA_CHECK(cudaEventCreate(&stop));
  for (auto& m : ms) {
    CUDA_CHECK(cudaEventRecord(start));
    f();
    CUDA_CHECK(cudaEventRecord(stop));
    CUDA_CHECK(cudaEventSynchronize(stop));
    CUDA_CHECK(cudaEventElapsedTime(&m, start, stop));
  }
  CUDA_CHECK(cudaEventDestroy(start));
  CUDA_CHECK(cudaEventDestroy(stop));
  std::vector<float> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  return sorted[repeats / 2];
}
