#pragma once
// The CUDA kernels: the twins of kernels/cpu.hpp, same names and arguments,
// with device pointers. Hand-written (cuBLAS may only serve as a reference in
// tests and benchmarks). This header compiles without CUDA: the kernels are
// declared only when the build has them (PARCAE_HAVE_CUDA), and
// device_count() exists always, answering 0 when there is nothing to run on.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace parcae::kernels::cuda {

// Usable CUDA devices: 0 in a build without CUDA, without a driver
// (cudaErrorInsufficientDriver, 35) or without a GPU (cudaErrorNoDevice).
int device_count();

// Why device_count() is 0, in words ("built without CUDA", "no CUDA driver
// (cudaGetDeviceCount: ...)", "no CUDA device (...)"); empty when there is a device.
std::string no_device_reason();

#ifdef PARCAE_HAVE_CUDA

// --- GELU, tanh approximation (twin of cpu::gelu_*) ---------------------------
void gelu_forward(float* out, const float* inp, std::int64_t N);
void gelu_backward(float* dinp, const float* dout, const float* inp, std::int64_t N);

// --- residual add (twin of cpu::residual_*) -------------------------------------
void residual_forward(float* out, const float* inp1, const float* inp2, std::int64_t N);
void residual_backward(float* dinp1, float* dinp2, const float* dout, std::int64_t N);

// Kernels run asynchronously on the default stream; this waits for them and
// throws std::runtime_error with CUDA's message if any failed.
void synchronize();

// A float buffer in device memory, freed when the object goes.
class DeviceBuffer {
 public:
  explicit DeviceBuffer(std::size_t count);
  explicit DeviceBuffer(const std::vector<float>& host);  // allocate and upload
  ~DeviceBuffer();
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  float* data() { return data_; }
  const float* data() const { return data_; }
  std::size_t size() const { return count_; }
  void upload(const std::vector<float>& host);
  std::vector<float> download() const;

 private:
  float* data_ = nullptr;
  std::size_t count_ = 0;
};

#endif  // PARCAE_HAVE_CUDA

}  // namespace parcae::kernels::cuda
