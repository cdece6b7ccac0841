#include <gtest/gtest.h>

#include "kernels/check.hpp"
#include "kernels/reference.hpp"
#include "parcae/kernels/cpu.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

TEST(LayerNorm, ForwardAndBackwardMatchReference) {
  const int N = 37, C = 96;
  Rng rng(2);
  auto inp = random_vector(rng, N * C, 2.0);
  for (int n = 0; n < N; ++n) inp[n * C] += 5.0;  // a non-zero mean per row
  const auto w = random_vector(rng, C), b = random_vector(rng, C);
  std::vector<double> out(N * C);
  reference::layernorm_forward(out.data(), inp.data(), w.data(), b.data(), N, C);
  std::vector<float> out_f(out.size()), mean(N), rstd(N);
  kernels::cpu::layernorm_forward(out_f.data(), mean.data(), rstd.data(), to_float(inp).data(),
                                  to_float(w).data(), to_float(b).data(), N, C);
  EXPECT_LE(rel_error(out_f, out), kFloatTolerance);

  const auto dout = random_vector(rng, out.size());
  std::vector<double> dinp(inp.size()), dw(C), db(C);
  reference::layernorm_backward(dinp.data(), dw.data(), db.data(), dout.data(), inp.data(),
                                w.data(), N, C);
  std::vector<float> dinp_f(inp.size()), dw_f(C), db_f(C);
  kernels::cpu::layernorm_backward(dinp_f.data(), dw_f.data(), db_f.data(), to_float(dout).data(),
                                   to_float(inp).data(), to_float(w).data(), mean.data(),
                                   rstd.data(), N, C);
  EXPECT_LE(rel_error(dinp_f, dinp), kFloatTolerance);
  EXPECT_LE(rel_error(dw_f, dw), kFloatTolerance);
  EXPECT_LE(rel_error(db_f, db), kFloatTolerance);

  auto objective = [&](const std::vector<double>& x, const std::vector<double>& ww,
                       const std::vector<double>& bb) {
    std::vector<double> o(out.size());
    reference::layernorm_forward(o.data(), x.data(), ww.data(), bb.data(), N, C);
    return dot(o, dout);
  };
  expect_gradient_matches_differences([&](const auto& x) { return objective(x, w, b); }, inp, dinp,
                                      rng, 24, "dinp");
  expect_gradient_matches_differences([&](const auto& x) { return objective(inp, x, b); }, w, dw,
                                      rng, 24, "dweight");
  expect_gradient_matches_differences([&](const auto& x) { return objective(inp, w, x); }, b, db,
                                      rng, 24, "dbias");
}

}  // namespace
}  // namespace parcae
