// A build without CUDA still answers "how many GPUs?": none. (With CUDA,
// device.cu defines device_count instead; this file compiles to nothing.)
#include "parcae/kernels/cuda.hpp"

#ifndef PARCAE_HAVE_CUDA
namespace parcae::kernels::cuda {

int device_count() { return 0; }

std::string no_device_reason() { return "built without CUDA (PARCAE_CUDA=OFF or no nvcc)"; }

}  // namespace parcae::kernels::cuda
#endif
