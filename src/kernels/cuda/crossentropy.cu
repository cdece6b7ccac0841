// Fused softmax + cross-entropy on the GPU: the twin of cpu/crossentropy.cpp.
// One block per position: max and sum over the vocabulary are block reductions.
#include <cstdint>

#include "check.cuh"
#include "parcae/kernels/cuda.hpp"
#include "reduce.cuh"

namespace parcae::kernels::cuda {

namespace {

constexpr int kRowThreads = 512;

__global__ void crossentropy_softmax_forward_kernel(float* losses, float* probs,
                                                    const float* logits, const int* targets,
                                                    int V, int Vp) {
  __shared__ float scratch[32];
  const std::int64_t n = blockIdx.x;
  const float* z = logits + n * Vp;
  float* p = probs + n * Vp;
  // Read before p (which may alias z) is written; the barriers inside the
  // reductions below order this read before any write.
  const float z_target = z[targets[n]];
  float maxval = -INFINITY;
  for (int i = threadIdx.x; i < V; i += blockDim.x) maxval = fmaxf(maxval, z[i]);
  maxval = block_max(maxval, scratch);
  float sum = 0.0f;
  for (int i = threadIdx.x; i < V; i += blockDim.x) sum += expf(z[i] - maxval);
  sum = block_sum(sum, scratch);
  const float inv = 1.0f / sum;
  for (int i = threadIdx.x; i < Vp; i += blockDim.x) p[i] = i < V ? expf(z[i] - maxval) * inv : 0.0f;
  // log-sum-exp rather than -log(p[target]), as the CPU twin.
  if (threadIdx.x == 0) losses[n] = logf(sum) + maxval - z_target;
}

// Differentiates: losses[n] = log(sum exp z) - z[target]:
//   dz[i] += dloss * (p[i] - [i == target]); the padded columns get nothing.
__global__ void crossentropy_softmax_backward_kernel(float* dlogits, const float* dlosses,
                                                     float dloss, const float* probs,
                                                     const int* targets, int V, int Vp) {
  const std::int64_t n = blockIdx.x;
  const float d = dlosses != nullptr ? dlosses[n] : dloss;
  const float* p = probs + n * Vp;
  float* dz = dlogits + n * Vp;
  const int target = targets[n];
  for (int i = threadIdx.x; i < V; i += blockDim.x)
    dz[i] += d * p[i] - (i == target ? d : 0.0f);
}

}  // namespace

void crossentropy_softmax_forward(float* losses, float* probs, const float* logits,
                                  const int* targets, int N, int V, int Vp) {
  if (N == 0) return;
  crossentropy_softmax_forward_kernel<<<N, kRowThreads>>>(losses, probs, logits, targets, V, Vp);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

void crossentropy_softmax_backward(float* dlogits, const float* dlosses, float dloss,
                                   const float* probs, const int* targets, int N, int V, int Vp) {
  if (N == 0) return;
  crossentropy_softmax_backward_kernel<<<N, kRowThreads>>>(dlogits, dlosses, dloss, probs,
                                                           targets, V, Vp);
  PARCAE_CUDA_CHECK(cudaGetLastError());
}

}  // namespace parcae::kernels::cuda
