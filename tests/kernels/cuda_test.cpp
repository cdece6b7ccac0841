// The CUDA kernels against their CPU twins, on the same inputs. Skipped (with
// the reason) in builds without CUDA and on machines without a GPU; run on a
// GPU machine with tests/gpu/run.sh.
#include <type_traits>

#include <gtest/gtest.h>

#include "kernels/check.hpp"
#include "parcae/kernels/cpu.hpp"
#include "parcae/kernels/cuda.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

#define PARCAE_REQUIRE_CUDA_DEVICE()                                      \
  do {                                                                     \
    if (kernels::cuda::device_count() == 0) GTEST_SKIP() << "no CUDA device"; \
  } while (0)

TEST(CudaDevice, CountIsNeverNegative) { EXPECT_GE(kernels::cuda::device_count(), 0); }

#ifdef PARCAE_HAVE_CUDA

// The twins take exactly the same arguments: a caller switches device by namespace.
static_assert(std::is_same_v<decltype(&kernels::cpu::gelu_forward), decltype(&kernels::cuda::gelu_forward)>);
static_assert(std::is_same_v<decltype(&kernels::cpu::gelu_backward), decltype(&kernels::cuda::gelu_backward)>);
static_assert(std::is_same_v<decltype(&kernels::cpu::residual_forward), decltype(&kernels::cuda::residual_forward)>);
static_assert(std::is_same_v<decltype(&kernels::cpu::residual_backward), decltype(&kernels::cuda::residual_backward)>);

// Sizes that are not a multiple of the block and one larger than a single
// grid pass, so the grid-stride loop's tail and wrap are both exercised.
constexpr std::int64_t kSizes[] = {1, 1000, 65535LL * 256 + 77};

TEST(CudaGelu, MatchesCpuForwardAndBackward) {
  PARCAE_REQUIRE_CUDA_DEVICE();
  for (const std::int64_t N : kSizes) {
    Rng rng(N);
    const auto inp = to_float(random_vector(rng, N, 3.0));
    const auto dout = to_float(random_vector(rng, N));
    const auto dinp0 = to_float(random_vector(rng, N));  // backward accumulates onto this

    std::vector<float> out(N), dinp = dinp0;
    kernels::cpu::gelu_forward(out.data(), inp.data(), N);
    kernels::cpu::gelu_backward(dinp.data(), dout.data(), inp.data(), N);

    kernels::cuda::DeviceBuffer d_inp(inp), d_dout(dout), d_out(N), d_dinp(dinp0);
    kernels::cuda::gelu_forward(d_out.data(), d_inp.data(), N);
    kernels::cuda::gelu_backward(d_dinp.data(), d_dout.data(), d_inp.data(), N);
    kernels::cuda::synchronize();

    EXPECT_LE(rel_error(d_out.download(), to_double(out)), kFloatTolerance) << N;
    EXPECT_LE(rel_error(d_dinp.download(), to_double(dinp)), kFloatTolerance) << N;
  }
}

TEST(CudaResidual, MatchesCpuExactly) {
  PARCAE_REQUIRE_CUDA_DEVICE();
  for (const std::int64_t N : kSizes) {
    Rng rng(N + 1);
    const auto a = to_float(random_vector(rng, N)), b = to_float(random_vector(rng, N));
    const auto dout = to_float(random_vector(rng, N));
    const auto da0 = to_float(random_vector(rng, N)), db0 = to_float(random_vector(rng, N));

    std::vector<float> out(N), da = da0, db = db0;
    kernels::cpu::residual_forward(out.data(), a.data(), b.data(), N);
    kernels::cpu::residual_backward(da.data(), db.data(), dout.data(), N);

    kernels::cuda::DeviceBuffer d_a(a), d_b(b), d_out(N), d_dout(dout), d_da(da0), d_db(db0);
    kernels::cuda::residual_forward(d_out.data(), d_a.data(), d_b.data(), N);
    kernels::cuda::residual_backward(d_da.data(), d_db.data(), d_dout.data(), N);
    kernels::cuda::synchronize();

    // One float addition each: the GPU rounds exactly as the CPU does.
    EXPECT_EQ(d_out.download(), out) << N;
    EXPECT_EQ(d_da.download(), da) << N;
    EXPECT_EQ(d_db.download(), db) << N;
  }
}

#else

TEST(CudaKernels, NotBuilt) { GTEST_SKIP() << "built without CUDA (PARCAE_CUDA=OFF or no nvcc)"; }

#endif

}  // namespace
}  // namespace parcae
