// One CUDA GPU as a backend: device memory and the kernels of kernels/cuda.hpp,
// all on the default stream (so kernels run in call order and the blocking
// copies wait for them, as backend.hpp asks). attention_saved_floats is the
// CPU's: the correct-first CUDA attention keeps the same probabilities.
#include <memory>
#include <stdexcept>

#include "parcae/compute/device_choice.hpp"
#include "parcae/kernels/cuda.hpp"

namespace parcae::compute {

#ifdef PARCAE_HAVE_CUDA

namespace {

namespace k = kernels::cuda;

const KernelTable kCudaKernels = {
    .embedding_forward = k::embedding_forward,
    .embedding_backward = k::embedding_backward,
    .layernorm_forward = k::layernorm_forward,
    .layernorm_backward = k::layernorm_backward,
    .matmul_forward = k::matmul_forward,
    .matmul_backward = k::matmul_backward,
    .attention_forward = k::attention_forward,
    .attention_backward = k::attention_backward,
    .attention_saved_floats = kernels::cpu::attention_saved_floats,
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

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(int gpu) : Backend(kCudaKernels), gpu_(gpu) { k::select_device(gpu); }
  Device device() const override { return Device::cuda; }
  std::string describe() const override {
    return "cuda:" + std::to_string(gpu_) + " " + k::device_name(gpu_);
  }
  void* allocate(std::size_t bytes) override { return k::device_allocate(bytes); }
  void release(void* p) noexcept override { k::device_free(p); }
  void to_device(void* dst, const void* host, std::size_t bytes) override {
    k::copy_to_device(dst, host, bytes);
  }
  void to_host(void* host, const void* src, std::size_t bytes) override {
    k::copy_to_host(host, src, bytes);
  }
  void copy(void* dst, const void* src, std::size_t bytes) override {
    k::copy_on_device(dst, src, bytes);
  }
  void zero(void* p, std::size_t bytes) override { k::zero_device(p, bytes); }
  void synchronize() override { k::synchronize(); }
  void* allocate_staging(std::size_t bytes) override { return k::pinned_allocate(bytes); }
  void release_staging(void* p) noexcept override { k::pinned_free(p); }
  std::string card() const override { return k::device_pci_bus_id(gpu_); }

  int gpu() const { return gpu_; }

 private:
  int gpu_;
};

}  // namespace

Backend& backend_for(const DeviceChoice& choice) {
  if (choice.device == Device::cpu) return cpu_backend();
  // One GPU per process: the first choice made sticks (a rank never moves GPU).
  static std::unique_ptr<CudaBackend> backend;
  if (!backend) backend = std::make_unique<CudaBackend>(choice.gpu);
  if (backend->gpu() != choice.gpu)
    throw std::logic_error("backend_for: this process already computes on cuda:" +
                           std::to_string(backend->gpu()));
  return *backend;
}

#else

Backend& backend_for(const DeviceChoice& choice) {
  if (choice.device == Device::cpu) return cpu_backend();
  throw std::logic_error("backend_for: cuda in a build without CUDA");
}

#endif

}  // namespace parcae::compute
