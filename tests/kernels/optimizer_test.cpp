// AdamW and the two halves of gradient-norm clipping.
#include <cmath>

#include <gtest/gtest.h>

#include "kernels/check.hpp"
#include "parcae/kernels/cpu.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

TEST(AdamW, FirstStepByHand) {
  // Step 1 from m = v = 0: m = 0.1 g, v = 0.05 g^2 (betas 0.9, 0.95); the bias
  // corrections divide by 0.1 and 0.05, so m_hat = g, v_hat = g^2 and the
  // update is lr * (sign(g) * |g| / (|g| + eps) + wd * p).
  // p = 1, g = 0.5, lr = 0.1, wd = 0.1, eps = 1e-8:
  //   p' = 1 - 0.1 * (0.5 / (0.5 + 1e-8) + 0.1) = 0.89000000(2).
  kernels::AdamW hp{.lr = 0.1f, .beta1 = 0.9f, .beta2 = 0.95f, .eps = 1e-8f,
                         .weight_decay = 0.1f};
  float p = 1.0f, g = 0.5f, m = 0.0f, v = 0.0f;
  kernels::cpu::adamw_update(&p, &g, &m, &v, 1, hp, 1);
  EXPECT_FLOAT_EQ(m, 0.05f);
  EXPECT_FLOAT_EQ(v, 0.0125f);
  EXPECT_FLOAT_EQ(p, 0.89f);
}

TEST(AdamW, SecondStepByHand) {
  // Continue from step 1 (m = 0.05, v = 0.0125, p = 0.89) with g = -1, no decay:
  //   m = 0.9*0.05 - 0.1 = -0.055           m_hat = -0.055 / (1 - 0.81)   = -0.289473684
  //   v = 0.95*0.0125 + 0.05 = 0.061875     v_hat = 0.061875 / (1 - 0.9025) = 0.634615385
  //   p = 0.89 - 0.1 * (-0.289473684 / (0.796627...)) = 0.89 + 0.0363373...
  kernels::AdamW hp{.lr = 0.1f, .beta1 = 0.9f, .beta2 = 0.95f, .eps = 1e-8f,
                         .weight_decay = 0.0f};
  float p = 0.89f, g = -1.0f, m = 0.05f, v = 0.0125f;
  kernels::cpu::adamw_update(&p, &g, &m, &v, 1, hp, 2);
  const double m_hat = -0.055 / (1 - 0.81), v_hat = 0.061875 / (1 - 0.9025);
  EXPECT_NEAR(m, -0.055, 1e-7);  // float rounding of 0.9 * 0.05 - 0.1
  EXPECT_NEAR(v, 0.061875, 1e-7);
  EXPECT_NEAR(p, 0.89 - 0.1 * m_hat / (std::sqrt(v_hat) + 1e-8), 1e-6);
}

TEST(AdamW, ManyCoordinatesMatchTheFormula) {
  Rng rng(10);
  const int N = 1001;
  const kernels::AdamW hp{.lr = 1e-3f, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f,
                               .weight_decay = 0.01f};
  auto p = to_float(random_vector(rng, N)), m = to_float(random_vector(rng, N, 0.1));
  auto v = to_float(random_vector(rng, N, 0.1));
  for (auto& x : v) x = x * x;
  const auto g = to_float(random_vector(rng, N));
  const auto p0 = p, m0 = m, v0 = v;
  const int step = 7;
  kernels::cpu::adamw_update(p.data(), g.data(), m.data(), v.data(), N, hp, step);
  for (int i = 0; i < N; ++i) {
    const double mi = 0.9 * m0[i] + 0.1 * g[i], vi = 0.999 * v0[i] + 0.001 * double(g[i]) * g[i];
    const double mh = mi / (1 - std::pow(0.9, step)), vh = vi / (1 - std::pow(0.999, step));
    const double pi = p0[i] - 1e-3 * (mh / (std::sqrt(vh) + 1e-8) + 0.01 * p0[i]);
    EXPECT_NEAR(p[i], pi, 1e-6 * (1 + std::abs(pi)));
  }
}

TEST(GradNorm, SumOfSquaresAndScale) {
  std::vector<float> g = {3.0f, -4.0f, 12.0f};
  EXPECT_DOUBLE_EQ(kernels::cpu::grad_sq_norm(g.data(), 3), 169.0);
  // Partial sums over pieces add up to the whole: stages can combine them.
  EXPECT_DOUBLE_EQ(kernels::cpu::grad_sq_norm(g.data(), 2) + kernels::cpu::grad_sq_norm(g.data() + 2, 1),
                   169.0);
  kernels::cpu::scale(g.data(), 3, 0.5f);
  EXPECT_EQ(g, (std::vector<float>{1.5f, -2.0f, 6.0f}));
}

TEST(GradNorm, LargeBufferInDouble) {
  const std::int64_t N = 1 << 20;
  std::vector<float> g(N, 1e-3f);
  EXPECT_NEAR(kernels::cpu::grad_sq_norm(g.data(), N), N * 1e-6, N * 1e-6 * 1e-6);
}

}  // namespace
}  // namespace parcae
