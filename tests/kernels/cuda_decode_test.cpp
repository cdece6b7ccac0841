// The CUDA decoding attention against its CPU twin (cpu::attention_decode_forward,
// itself held to the full-sequence reference in attention_decode_test.cpp).
// The output starts as NaN, so an element the kernel forgets fails. Skipped
// with the reason when there is no GPU or no CUDA in the build; tests/gpu/run.sh
// runs it on a GPU machine.
#include <gtest/gtest.h>

#include <limits>

#include "kernels/check.hpp"
#include "parcae/kernels/cpu.hpp"
#include "parcae/kernels/cuda.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

#ifdef PARCAE_HAVE_CUDA

namespace cu = kernels::cuda;

TEST(CudaAttentionDecode, MatchesCpu) {
  if (cu::device_count() == 0) GTEST_SKIP() << cu::no_device_reason();
  // T = 1, off and past the 128 threads of the block; hs = 64 (gpt2-124m's) and 12.
  for (const int T : {1, 37, 300}) {
    for (const auto& [C, NH] : {std::pair{48, 4}, std::pair{768, 12}}) {
      Rng rng(T * 1000 + C);
      const auto q = to_float(random_vector(rng, C, 2.0));
      const auto k = to_float(random_vector(rng, T * C)), v = to_float(random_vector(rng, T * C));
      std::vector<float> out(C);
      kernels::cpu::attention_decode_forward(out.data(), q.data(), k.data(), v.data(), T, C, NH);
      cu::DeviceBuffer d_q(q), d_k(k), d_v(v);
      cu::DeviceBuffer d_out(std::vector<float>(C, std::numeric_limits<float>::quiet_NaN()));
      cu::attention_decode_forward(d_out.data(), d_q.data(), d_k.data(), d_v.data(), T, C, NH);
      cu::synchronize();
      EXPECT_LE(rel_error(d_out.download(), to_double(out)), kFloatTolerance)
          << "T " << T << " C " << C;
    }
  }
}

#else

TEST(CudaAttentionDecode, NotBuilt) { GTEST_SKIP() << "built without CUDA (PARCAE_CUDA=OFF or no nvcc)"; }

#endif

}  // namespace
}  // namespace parcae
