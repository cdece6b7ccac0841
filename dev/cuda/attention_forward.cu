// The attention workshop: causal multi-head attention's forward,
// inp[B,T,3C] (q, k, v) -> out[B,T,C], in numbered versions checked against
// version 1 and timed in the same run.
//   1  the product's correct-first kernels (src/kernels/cuda/attention.cu,
//      included as is): scores and softmax into att[B,NH,T,T], then att v.
//      Itself checked against the CPU kernel by tests/kernels/cuda_ops_test.cpp.
//   2  fused and memory-efficient: a warp per query row walks the keys with
//      an online softmax (running max and sum, flash-attention style), holding
//      q and the output accumulator in registers (hs / 32 per lane); no T x T
//      in global memory, one log-sum-exp per row kept for a backward.
// usage: ./attention_forward [B T C NH]   (default GPT-2 124M: 8 1024 768 12; hs <= 256, hs % 32 == 0)
#include <cstdio>
#include <cstdlib>

#include "../../src/kernels/cuda/attention.cu"
#include "common.cuh"

namespace {

constexpr int kMaxPerLane = 8;  // hs up to 256

__global__ void attention_fused(float* out, float* lse, const float* inp, int B, int T, int C,
                                int NH) {
  const int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32, lane = threadIdx.x % 32;
  if (warp >= B * NH * T) return;
  const int t = warp % T, h = warp / T % NH, b = warp / (T * NH), hs = C / NH, per = hs / 32;
  const float scale = rsqrtf(float(hs));
  const float* q = inp + (std::size_t(b) * T + t) * 3 * C + h * hs;
  float qr[kMaxPerLane], acc[kMaxPerLane];
  for (int i = 0; i < per; ++i) {
    qr[i] = q[lane + 32 * i] * scale;
    acc[i] = 0.0f;
  }
  float running_max = -INFINITY, running_sum = 0.0f;
  for (int t2 = 0; t2 <= t; ++t2) {
    const float* k = inp + (std::size_t(b) * T + t2) * 3 * C + C + h * hs;
    const float* v = k + C;
    float s = 0.0f;
    for (int i = 0; i < per; ++i) s += qr[i] * k[lane + 32 * i];
    for (int offset = 16; offset > 0; offset /= 2) s += __shfl_xor_sync(0xffffffffu, s, offset);
    // Online softmax: rescale what was summed under the old maximum.
    const float new_max = fmaxf(running_max, s);
    const float correction = expf(running_max - new_max), p = expf(s - new_max);
    running_sum = running_sum * correction + p;
    for (int i = 0; i < per; ++i) acc[i] = acc[i] * correction + p * v[lane + 32 * i];
    running_max = new_max;
  }
  float* o = out + (std::size_t(b) * T + t) * C + h * hs;
  for (int i = 0; i < per; ++i) o[lane + 32 * i] = acc[i] / running_sum;
  if (lane == 0) lse[warp] = running_max + logf(running_sum);
}

}  // namespace

int main(int argc, char** argv) {
  const bool given = argc > 4;
  const int B = given ? std::atoi(argv[1]) : 8, T = given ? std::atoi(argv[2]) : 1024,
            C = given ? std::atoi(argv[3]) : 768, NH = given ? std::atoi(argv[4]) : 12;
  const int hs = C / NH;
  if (C % NH || hs % 32 || hs > 32 * kMaxPerLane) {
    std::fprintf(stderr, "need C %% NH == 0, head size a multiple of 32 and at most 256\n");
    return 2;
  }
  cudaDeviceProp prop{};
  CUDA_CHECK(cudaGetDeviceProperties(&prop, 0));
  const std::size_t n_out = std::size_t(B) * T * C;
  float* inp = to_device(random_floats(n_out * 3, 3));
  float *att = nullptr, *out = nullptr, *lse = nullptr;
  CUDA_CHECK(cudaMalloc(&att, std::size_t(B) * NH * T * T * sizeof(float)));
  CUDA_CHECK(cudaMalloc(&out, n_out * sizeof(float)));
  CUDA_CHECK(cudaMalloc(&lse, std::size_t(B) * NH * T * sizeof(float)));
  namespace k = parcae::kernels::cuda;
  auto v1 = [&] { k::attention_forward(out, att, inp, B, T, C, NH); };
  auto v2 = [&] {
    const long threads = long(B) * NH * T * 32;
    attention_fused<<<(threads + 255) / 256, 256>>>(out, lse, inp, B, T, C, NH);
    CUDA_CHECK(cudaGetLastError());
  };
  v1();
  const std::vector<float> want = to_host(out, n_out);
  const float v1_ms = time_ms(v1, 5);
  CUDA_CHECK(cudaMemset(out, 0xff, n_out * sizeof(float)));  // NaN: poisoned
  v2();
  const double err = rel_error(to_host(out, n_out), want);
  const float v2_ms = time_ms(v2, 5);
  // Useful FLOPs of the causal forward: q k^T and att v over the T (T + 1) / 2 pairs.
  const double gflop = 4.0 * B * NH * (double(T) * (T + 1) / 2) * hs * 1e-9;
  std::printf("attention_forward B=%d T=%d C=%d NH=%d on %s\n", B, T, C, NH, prop.name);
  std::printf("%-26s %9s %9s %10s %14s\n", "version", "ms", "TFLOP/s", "rel err", "saved floats");
  std::printf("%-26s %9.3f %9.2f %10s %14zu\n", "1 scores + softmax + att v", v1_ms,
              gflop / v1_ms, "(ref)", std::size_t(B) * NH * T * T);
  const bool ok = err <= 1e-5;
  std::printf("%-26s %9.3f %9.2f %10.2e %14zu%s\n", "2 fused, online softmax", v2_ms,
              gflop / v2_ms, err, std::size_t(B) * NH * T, ok ? "" : "  FAIL");
  return ok ? 0 : 1;
}
