// GELU's tanh is a rational approximation (kernels/cpu/gelu.cpp): checked
// point by point on a dense grid, where the norm-wise random test could hide a
// bad interval.
#include <cmath>

#include <gtest/gtest.h>

#include "kernels/reference.hpp"
#include "parcae/kernels/cpu.hpp"

namespace parcae {
namespace {

// x in [-12, 12] every 1e-3 (24 001 points): both tails, the origin, and the
// clamp of the approximation (u = 7.905 at x ~ 4.2).
std::vector<double> grid() {
  std::vector<double> x;
  for (int i = -12000; i <= 12000; ++i) x.push_back(i * 1e-3);
  return x;
}

TEST(GeluTanh, ForwardWithinAFewUlpOfTheReferencePointwise) {
  const auto x = grid();
  const std::int64_t N = static_cast<std::int64_t>(x.size());
  std::vector<double> ref(N);
  reference::gelu_forward(ref.data(), x.data(), N);
  const std::vector<float> xf(x.begin(), x.end());
  std::vector<float> out(N);
  kernels::cpu::gelu_forward(out.data(), xf.data(), N);
  // tanh's error (< 4e-7) enters scaled by 0.5 |x|; float rounding of the
  // result adds ~1e-7 |out| <= 1e-7 |x|.
  for (std::int64_t i = 0; i < N; ++i)
    ASSERT_LE(std::abs(out[i] - ref[i]), 5e-7 * std::abs(x[i]) + 1e-30) << "x = " << x[i];
}

TEST(GeluTanh, LocalDerivativeCloseToTheReferencePointwise) {
  const auto x = grid();
  const std::int64_t N = static_cast<std::int64_t>(x.size());
  const std::vector<double> ones(N, 1.0);
  std::vector<double> ref(N, 0.0);
  reference::gelu_backward(ref.data(), ones.data(), x.data(), N);
  const std::vector<float> xf(x.begin(), x.end()), onesf(N, 1.0f);
  std::vector<float> local(N, 0.0f);
  kernels::cpu::gelu_backward(local.data(), onesf.data(), xf.data(), N);
  // The derivative multiplies tanh's error by up to ~|x| (1 + 3 0.044715 x^2):
  // 4e-7 of that bounds it, with float rounding on top.
  for (std::int64_t i = 0; i < N; ++i) {
    const double bound = 4e-7 * (1 + std::abs(x[i]) * (1 + 0.135 * x[i] * x[i])) + 2e-7;
    ASSERT_LE(std::abs(local[i] - ref[i]), bound) << "x = " << x[i];
  }
}

}  // namespace
}  // namespace parcae
