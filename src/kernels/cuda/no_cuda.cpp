// A build without CUDA still answers "how many GPUs?": none. (With CUDA,
// device.cu defines device_count instead; this file compiles to nothing.)
#include "parcae/kernels/cuda.hpp"

#ifndef PARCAE_HAVE_CUDA
namespace parcae::kernels::cuda {

int device_count() { return 0; }

}  // namespace parcae::kernels::cuda
#endif
