#pragma once
// Turns a failed CUDA runtime call into an exception naming the call, the file
// and line, and CUDA's own message.
#include <cstdint>
#include <stdexcept>
#include <string>

#include <cuda_runtime.h>

#define PARCAE_CUDA_CHECK(call)                                                          \
  do {                                                                                   \
    const cudaError_t parcae_err_ = (call);                                              \
    if (parcae_err_ != cudaSuccess)                                                      \
      throw std::runtime_error(std::string(__FILE__) + ":" + std::to_string(__LINE__) + \
                               ": " #call ": " + cudaGetErrorString(parcae_err_));      \
  } while (0)

namespace parcae::kernels::cuda {

// Element-wise kernels: 256 threads a block (a multiple of the warp that keeps
// occupancy high on sm_80/sm_90), enough blocks to cover N once, capped so a
// grid-stride loop covers the rest (65535 x 256 floats per pass).
constexpr int kBlockSize = 256;
inline int grid_for(std::int64_t n) {
  const std::int64_t blocks = (n + kBlockSize - 1) / kBlockSize;
  return static_cast<int>(blocks < 65535 ? (blocks > 0 ? blocks : 1) : 65535);
}

}  // namespace parcae::kernels::cuda
