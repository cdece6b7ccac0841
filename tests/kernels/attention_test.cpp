#include <gtest/gtest.h>

#include "kernels/check.hpp"
#include "kernels/reference.hpp"
#include "parcae/kernels/cpu.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

TEST(Attention, ForwardAndBackwardMatchReference) {
  const int B = 2, T = 13, C = 24, NH = 3;
  Rng rng(5);
  const auto inp = random_vector(rng, B * T * 3 * C);
  std::vector<double> out(B * T * C);
  reference::attention_forward(out.data(), inp.data(), B, T, C, NH);
  std::vector<float> out_f(out.size()), att(kernels::cpu::attention_saved_floats(B, T, NH), -1.0f);
  kernels::cpu::attention_forward(out_f.data(), att.data(), to_float(inp).data(), B, T, C, NH);
  EXPECT_LE(rel_error(out_f, out), kFloatTolerance);
  // Causal: every row of probabilities sums to one and is zero past the diagonal.
  for (int row = 0; row < B * NH * T; ++row) {
    const int t = row % T;
    double sum = 0;
    for (int s = 0; s < T; ++s) {
      if (s > t) {
        EXPECT_EQ(att[row * T + s], 0.0f);
      }
      sum += att[row * T + s];
    }
    EXPECT_NEAR(sum, 1.0, 1e-6);
  }

  const auto dout = random_vector(rng, out.size());
  auto dinp = random_vector(rng, inp.size());
  auto dinp_f = to_float(dinp);
  reference::attention_backward(dinp.data(), dout.data(), inp.data(), B, T, C, NH);
  kernels::cpu::attention_backward(dinp_f.data(), to_float(dout).data(), to_float(inp).data(),
                                   out_f.data(), att.data(), B, T, C, NH);
  EXPECT_LE(rel_error(dinp_f, dinp), kFloatTolerance);

  std::vector<double> grad(inp.size());
  reference::attention_backward(grad.data(), dout.data(), inp.data(), B, T, C, NH);
  auto objective = [&](const std::vector<double>& x) {
    std::vector<double> o(out.size());
    reference::attention_forward(o.data(), x.data(), B, T, C, NH);
    return dot(o, dout);
  };
  expect_gradient_matches_differences(objective, inp, grad, rng, 48, "dinp (q, k and v)");
}

TEST(Attention, FuturePositionsDoNotChangeThePast) {
  const int B = 1, T = 6, C = 8, NH = 2;
  Rng rng(6);
  auto inp = to_float(random_vector(rng, B * T * 3 * C));
  std::vector<float> out1(B * T * C), out2(B * T * C), att(B * NH * T * T);
  kernels::cpu::attention_forward(out1.data(), att.data(), inp.data(), B, T, C, NH);
  for (int i = 0; i < 3 * C; ++i) inp[(T - 1) * 3 * C + i] += 1.0f;  // perturb the last position
  kernels::cpu::attention_forward(out2.data(), att.data(), inp.data(), B, T, C, NH);
  for (int i = 0; i < (T - 1) * C; ++i) EXPECT_EQ(out1[i], out2[i]);
}

}  // namespace
}  // namespace parcae
