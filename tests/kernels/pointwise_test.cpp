// GELU and residual add: the element-wise ops.
#include <gtest/gtest.h>

#include "kernels/check.hpp"
#include "kernels/reference.hpp"
#include "parcae/kernels/cpu.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

TEST(Gelu, ForwardAndBackwardMatchReference) {
  const int N = 1000;
  Rng rng(7);
  auto inp = random_vector(rng, N, 3.0);
  inp[0] = 0.0, inp[1] = 12.0, inp[2] = -12.0;  // the flat tails and the origin
  std::vector<double> out(N);
  reference::gelu_forward(out.data(), inp.data(), N);
  std::vector<float> out_f(N);
  kernels::cpu::gelu_forward(out_f.data(), to_float(inp).data(), N);
  EXPECT_LE(rel_error(out_f, out), kFloatTolerance);

  const auto dout = random_vector(rng, N);
  auto dinp = random_vector(rng, N);
  auto dinp_f = to_float(dinp);
  reference::gelu_backward(dinp.data(), dout.data(), inp.data(), N);
  kernels::cpu::gelu_backward(dinp_f.data(), to_float(dout).data(), to_float(inp).data(), N);
  EXPECT_LE(rel_error(dinp_f, dinp), kFloatTolerance);

  std::vector<double> grad(N);
  reference::gelu_backward(grad.data(), dout.data(), inp.data(), N);
  auto objective = [&](const std::vector<double>& x) {
    std::vector<double> o(N);
    reference::gelu_forward(o.data(), x.data(), N);
    return dot(o, dout);
  };
  expect_gradient_matches_differences(objective, inp, grad, rng, 48, "gelu");
}

TEST(Residual, ForwardAndBackwardAreExact) {
  const int N = 513;
  Rng rng(8);
  const auto a = to_float(random_vector(rng, N)), b = to_float(random_vector(rng, N));
  std::vector<float> out(N);
  kernels::cpu::residual_forward(out.data(), a.data(), b.data(), N);
  for (int i = 0; i < N; ++i) EXPECT_EQ(out[i], a[i] + b[i]);

  const auto dout = to_float(random_vector(rng, N));
  auto da = to_float(random_vector(rng, N)), db = to_float(random_vector(rng, N));
  const auto da0 = da, db0 = db;
  kernels::cpu::residual_backward(da.data(), db.data(), dout.data(), N);
  for (int i = 0; i < N; ++i) {
    EXPECT_EQ(da[i], da0[i] + dout[i]);
    EXPECT_EQ(db[i], db0[i] + dout[i]);
  }
}

}  // namespace
}  // namespace parcae
