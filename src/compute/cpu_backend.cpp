// The CPU as a backend: host memory and the OpenMP/OpenBLAS kernels.
#include <omp.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "parcae/compute/backend.hpp"
#include "parcae/util/parallel_copy.hpp"

namespace parcae::compute {

namespace {

namespace k = kernels::cpu;

const KernelTable kCpuKernels = {
    .embedding_forward = k::embedding_forward,
    .embedding_backward = k::embedding_backward,
    .layernorm_forward = k::layernorm_forward,
    .layernorm_backward = k::layernorm_backward,
    .matmul_forward = k::matmul_forward,
    .matmul_backward = k::matmul_backward,
    .attention_forward = k::attention_forward,
    .attention_backward = k::attention_backward,
    .attention_saved_floats = k::attention_saved_floats,
    .attention_decode_forward = k::attention_decode_forward,
    .gelu_forward = k::gelu_forward,
    .gelu_backward = k::gelu_backward,
    .residual_forward = k::residual_forward,
    .residual_backward = k::residual_backward,
    .crossentropy_softmax_forward = k::crossentropy_softmax_forward,
    .crossentropy_softmax_backward = k::crossentropy_softmax_backward,
    .adamw_update = k::adamw_update,
    .grad_sq_norm = k::grad_sq_norm,
    .scale = k::scale,
};

class CpuBackend final : public Backend {
 public:
  CpuBackend() : Backend(kCpuKernels) {}
  Device device() const override { return Device::cpu; }
  std::string describe() const override {
    const int n = omp_get_max_threads();
    return "cpu (" + std::to_string(n) + (n == 1 ? " thread)" : " threads)");
  }
  // calloc: large blocks come straight from the kernel as zero pages, so a
  // gpt2-124m stage's moments cost nothing until touched.
  void* allocate(std::size_t bytes) override {
    if (bytes == 0) return nullptr;
    void* p = std::calloc(bytes, 1);
    if (p == nullptr) throw std::bad_alloc();
    return p;
  }
  void release(void* p) noexcept override { std::free(p); }
  void to_device(void* dst, const void* host, std::size_t bytes) override {
    copy(dst, host, bytes);
  }
  void to_host(void* host, const void* src, std::size_t bytes) override { copy(host, src, bytes); }
  void copy(void* dst, const void* src, std::size_t bytes) override {
    util::parallel_copy(dst, src, bytes);  // large ones (a stage's state) over the OpenMP threads
  }
  void zero(void* p, std::size_t bytes) override {
    if (bytes != 0) std::memset(p, 0, bytes);
  }
  void synchronize() override {}
  void* allocate_staging(std::size_t bytes) override { return allocate(bytes); }
  void release_staging(void* p) noexcept override { release(p); }
  std::string card() const override { return {}; }
};

}  // namespace

std::string to_string(Device device) { return device == Device::cpu ? "cpu" : "cuda"; }

Backend& cpu_backend() {
  static CpuBackend backend;
  return backend;
}

}  // namespace parcae::compute
