#pragma once
// Where the model's arithmetic runs. A Backend owns one device's memory and
// names that device's kernels: the CPU (host memory, kernels/cpu.hpp) or one
// CUDA GPU (device memory, kernels/cuda.hpp). The layer code
// (compute/layer_ops.hpp) calls `kernels().matmul_forward(...)` on whichever
// backend it is given and never branches on the device. Both kernel sets take
// the same arguments, and the table's types hold them to it: a CUDA twin of
// another signature does not compile into the table.
//
// Order: a backend runs its kernels in the order they are called (the CUDA one
// on a single stream), and its copies to the host wait for every kernel called
// before them, so a value read back is always the finished one.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parcae/kernels/cpu.hpp"

namespace parcae::compute {

enum class Device { cpu, cuda };
std::string to_string(Device device);  // "cpu", "cuda"

// Every op's forward and backward and the optimizer, typed after the CPU kernels.
struct KernelTable {
  decltype(&kernels::cpu::embedding_forward) embedding_forward;
  decltype(&kernels::cpu::embedding_backward) embedding_backward;
  decltype(&kernels::cpu::layernorm_forward) layernorm_forward;
  decltype(&kernels::cpu::layernorm_backward) layernorm_backward;
  decltype(&kernels::cpu::matmul_forward) matmul_forward;
  decltype(&kernels::cpu::matmul_backward) matmul_backward;
  decltype(&kernels::cpu::attention_forward) attention_forward;
  decltype(&kernels::cpu::attention_backward) attention_backward;
  decltype(&kernels::cpu::attention_saved_floats) attention_saved_floats;
  decltype(&kernels::cpu::attention_decode_forward) attention_decode_forward;
  decltype(&kernels::cpu::gelu_forward) gelu_forward;
  decltype(&kernels::cpu::gelu_backward) gelu_backward;
  decltype(&kernels::cpu::residual_forward) residual_forward;
  decltype(&kernels::cpu::residual_backward) residual_backward;
  decltype(&kernels::cpu::crossentropy_softmax_forward) crossentropy_softmax_forward;
  decltype(&kernels::cpu::crossentropy_softmax_backward) crossentropy_softmax_backward;
  decltype(&kernels::cpu::adamw_update) adamw_update;
  decltype(&kernels::cpu::grad_sq_norm) grad_sq_norm;  // returns to the host
  decltype(&kernels::cpu::scale) scale;
};

class Backend {
 public:
  virtual ~Backend() = default;
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  const KernelTable& kernels() const { return kernels_; }
  virtual Device device() const = 0;
  virtual std::string describe() const = 0;  // "cpu (2 threads)", "cuda:0 NVIDIA H200"

  // Memory of this device, zero-filled; release(nullptr) does nothing.
  virtual void* allocate(std::size_t bytes) = 0;
  virtual void release(void* p) noexcept = 0;
  virtual void to_device(void* dst, const void* host, std::size_t bytes) = 0;
  virtual void to_host(void* host, const void* src, std::size_t bytes) = 0;
  virtual void copy(void* dst, const void* src, std::size_t bytes) = 0;  // within the device
  virtual void zero(void* p, std::size_t bytes) = 0;
  // Waits for every kernel called so far; throws with the device's message if one failed.
  virtual void synchronize() = 0;

  // Host memory this device copies to and from fastest (page-locked for a
  // GPU), zero-filled, for buffers that go through the host on their way to
  // another rank; release_staging(nullptr) does nothing.
  virtual void* allocate_staging(std::size_t bytes) = 0;
  virtual void release_staging(void* p) noexcept = 0;
  // Which card of its node this backend computes on (a GPU's PCI bus id);
  // empty for the CPU, which no rank holds alone. Ranks compare these to learn
  // whether each of a group has a GPU of its own (what NCCL asks).
  virtual std::string card() const = 0;

  void zero_floats(float* p, std::int64_t n) {
    zero(p, static_cast<std::size_t>(n) * sizeof(float));
  }

 protected:
  explicit Backend(const KernelTable& kernels) : kernels_(kernels) {}

 private:
  KernelTable kernels_;
};

// The CPU: one per process, stateless (the kernels' threads are OpenMP's).
Backend& cpu_backend();

// A typed array in a backend's memory, freed with it; move-only.
template <class T>
class DeviceArray {
 public:
  DeviceArray() = default;
  DeviceArray(Backend& backend, std::size_t count)
      : backend_(&backend),
        data_(static_cast<T*>(backend.allocate(count * sizeof(T)))),
        size_(count) {}
  DeviceArray(DeviceArray&& o) noexcept
      : backend_(o.backend_),
        data_(std::exchange(o.data_, nullptr)),
        size_(std::exchange(o.size_, 0)) {}
  DeviceArray& operator=(DeviceArray&& o) noexcept {
    if (this != &o) {
      reset();
      backend_ = o.backend_;
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  ~DeviceArray() { reset(); }

  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::span<T> span() { return {data_, size_}; }
  std::span<const T> span() const { return {data_, size_}; }

  void upload(std::span<const T> host) {
    check_size(host.size(), "upload");
    backend_->to_device(data_, host.data(), size_ * sizeof(T));
  }
  void download(std::span<T> host) const {
    check_size(host.size(), "download");
    backend_->to_host(host.data(), data_, size_ * sizeof(T));
  }
  std::vector<T> download() const {
    std::vector<T> host(size_);
    download(host);
    return host;
  }

 private:
  void reset() {
    if (data_ != nullptr) backend_->release(data_);
    data_ = nullptr;
    size_ = 0;
  }
  void check_size(std::size_t n, const char* what) const {
    if (n != size_)
      throw std::invalid_argument(std::string("DeviceArray::") + what + ": " + std::to_string(n) +
                                  " elements for an array of " + std::to_string(size_));
  }

  Backend* backend_ = nullptr;
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace parcae::compute
