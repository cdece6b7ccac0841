// Device discovery, errors and device buffers for the CUDA kernels.
#include <cstring>
#include <stdexcept>
#include <string>

#include <cuda_runtime.h>

#include "check.cuh"
#include "parcae/kernels/cuda.hpp"

namespace parcae::kernels::cuda {

namespace {

// cudaGetDeviceCount once: its answer (and the error that explains a 0).
struct Query {
  int count = 0;
  std::string reason;
};

Query query() {
  Query q;
  const cudaError_t err = cudaGetDeviceCount(&q.count);
  if (err != cudaSuccess) {
    // No driver (35) or no device (100): a machine without a GPU, not an
    // error. Clear the sticky last error so later calls start clean.
    (void)cudaGetLastError();
    q.count = 0;
    q.reason = std::string(err == cudaErrorInsufficientDriver ? "no CUDA driver" : "no CUDA device") +
               " (cudaGetDeviceCount: " + cudaGetErrorString(err) + ")";
  } else if (q.count == 0) {
    q.reason = "no CUDA device (cudaGetDeviceCount found none)";
  }
  return q;
}

}  // namespace

int device_count() { return query().count; }

std::string no_device_reason() { return query().reason; }

void synchronize() {
  PARCAE_CUDA_CHECK(cudaGetLastError());
  PARCAE_CUDA_CHECK(cudaDeviceSynchronize());
}

void select_device(int index) { PARCAE_CUDA_CHECK(cudaSetDevice(index)); }

std::string device_name(int index) {
  cudaDeviceProp prop{};
  PARCAE_CUDA_CHECK(cudaGetDeviceProperties(&prop, index));
  return prop.name;
}

std::string device_pci_bus_id(int index) {
  char id[32] = {};
  PARCAE_CUDA_CHECK(cudaDeviceGetPCIBusId(id, static_cast<int>(sizeof id), index));
  return id;
}

void* device_allocate(std::size_t bytes) {
  if (bytes == 0) return nullptr;
  void* p = nullptr;
  PARCAE_CUDA_CHECK(cudaMalloc(&p, bytes));
  PARCAE_CUDA_CHECK(cudaMemset(p, 0, bytes));
  return p;
}

void device_free(void* p) noexcept { cudaFree(p); }

void copy_to_device(void* dst, const void* host, std::size_t bytes) {
  if (bytes != 0) PARCAE_CUDA_CHECK(cudaMemcpy(dst, host, bytes, cudaMemcpyHostToDevice));
}

void copy_to_host(void* host, const void* src, std::size_t bytes) {
  if (bytes != 0) PARCAE_CUDA_CHECK(cudaMemcpy(host, src, bytes, cudaMemcpyDeviceToHost));
}

void copy_on_device(void* dst, const void* src, std::size_t bytes) {
  if (bytes != 0) PARCAE_CUDA_CHECK(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToDevice));
}

void zero_device(void* p, std::size_t bytes) {
  if (bytes != 0) PARCAE_CUDA_CHECK(cudaMemset(p, 0, bytes));
}

void* pinned_allocate(std::size_t bytes) {
  if (bytes == 0) return nullptr;
  void* p = nullptr;
  PARCAE_CUDA_CHECK(cudaMallocHost(&p, bytes));
  std::memset(p, 0, bytes);
  return p;
}

void pinned_free(void* p) noexcept { cudaFreeHost(p); }

DeviceBuffer::DeviceBuffer(std::size_t count) : count_(count) {
  PARCAE_CUDA_CHECK(cudaMalloc(&data_, count * sizeof(float)));
}

DeviceBuffer::DeviceBuffer(const std::vector<float>& host) : DeviceBuffer(host.size()) {
  upload(host);
}

DeviceBuffer::~DeviceBuffer() { cudaFree(data_); }

void DeviceBuffer::upload(const std::vector<float>& host) {
  if (host.size() != count_)
    throw std::invalid_argument("DeviceBuffer::upload: " + std::to_string(host.size()) +
                                " floats into a buffer of " + std::to_string(count_));
  PARCAE_CUDA_CHECK(cudaMemcpy(data_, host.data(), count_ * sizeof(float), cudaMemcpyHostToDevice));
}

std::vector<float> DeviceBuffer::download() const {
  std::vector<float> host(count_);
  PARCAE_CUDA_CHECK(cudaMemcpy(host.data(), data_, count_ * sizeof(float), cudaMemcpyDeviceToHost));
  return host;
}

DeviceIntBuffer::DeviceIntBuffer(const std::vector<int>& host) : count_(host.size()) {
  PARCAE_CUDA_CHECK(cudaMalloc(&data_, count_ * sizeof(int)));
  PARCAE_CUDA_CHECK(cudaMemcpy(data_, host.data(), count_ * sizeof(int), cudaMemcpyHostToDevice));
}

DeviceIntBuffer::~DeviceIntBuffer() { cudaFree(data_); }

}  // namespace parcae::kernels::cuda
