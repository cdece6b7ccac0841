// The CUDA kernels against their CPU twins, on the same inputs. Skipped (with
// the reason) in builds without CUDA and on machines without a GPU; run on a
// GPU machine with tests/gpu/run.sh.
#include "parcae/kernels/cuda.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <type_traits>

#include "kernels/check.hpp"
#include "parcae/kernels/cpu.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

#define PARCAE_REQUIRE_CUDA_DEVICE()                                                           \
  do {                                                                                         \
    if (kernels::cuda::device_count() == 0) GTEST_SKIP() << kernels::cuda::no_device_reason(); \
  } while (0)

// GPUs the NVIDIA driver lists (/proc/driver/nvidia/gpus/<bus id>): a count
// found without CUDA, to check the query against. -1 when the driver is absent.
int driver_gpus() {
  const std::filesystem::path dir = "/proc/driver/nvidia/gpus";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return -1;
  return static_cast<int>(std::distance(std::filesystem::directory_iterator(dir, ec), {}));
}

// With no GPU the query says why; with one, a kernel really runs on it. Where
// the driver lists its GPUs (and CUDA_VISIBLE_DEVICES hides none), the CUDA
// build's count must match that list.
TEST(CudaDevice, SaysWhyThereIsNoneOrRunsAKernel) {
  const int count = kernels::cuda::device_count();
  const std::string reason = kernels::cuda::no_device_reason();
#ifdef PARCAE_HAVE_CUDA
  if (std::getenv("CUDA_VISIBLE_DEVICES") == nullptr) {
    EXPECT_EQ(count, std::max(0, driver_gpus())) << "the driver lists another number of GPUs";
  }
#else
  EXPECT_EQ(count, 0);
  EXPECT_NE(reason.find("built without CUDA"), std::string::npos) << reason;
#endif
  if (count == 0) {
    EXPECT_FALSE(reason.empty()) << "no device and no reason";
    return;
  }
  EXPECT_TRUE(reason.empty()) << reason;
#ifdef PARCAE_HAVE_CUDA
  const std::vector<float> a = {1.5f, -2.0f, 3.25f}, b = {0.25f, 4.0f, -1.0f};
  kernels::cuda::DeviceBuffer d_a(a), d_b(b), d_out(a.size());
  kernels::cuda::residual_forward(d_out.data(), d_a.data(), d_b.data(), 3);
  kernels::cuda::synchronize();
  EXPECT_EQ(d_out.download(), (std::vector<float>{1.75f, 2.0f, 2.25f}));
#endif
}

#ifdef PARCAE_HAVE_CUDA

// The twins take exactly the same arguments: a caller switches device by namespace.
static_assert(
    std::is_same_v<decltype(&kernels::cpu::gelu_forward), decltype(&kernels::cuda::gelu_forward)>);
static_assert(std::is_same_v<decltype(&kernels::cpu::gelu_backward),
                             decltype(&kernels::cuda::gelu_backward)>);
static_assert(std::is_same_v<decltype(&kernels::cpu::residual_forward),
                             decltype(&kernels::cuda::residual_forward)>);
static_assert(std::is_same_v<decltype(&kernels::cpu::residual_backward),
                             decltype(&kernels::cuda::residual_backward)>);

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
