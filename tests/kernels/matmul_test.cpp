#include <gtest/gtest.h>

#include "kernels/check.hpp"
#include "kernels/reference.hpp"
#include "parcae/kernels/cpu.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

void check_matmul(bool with_bias) {
  const int N = 29, C = 40, OC = 52;
  Rng rng(with_bias ? 3 : 4);
  const auto inp = random_vector(rng, N * C), w = random_vector(rng, OC * C, 0.2);
  const auto bias = random_vector(rng, OC);
  const double* b = with_bias ? bias.data() : nullptr;
  const auto bias_f = to_float(bias);
  const float* b_f = with_bias ? bias_f.data() : nullptr;

  std::vector<double> out(N * OC);
  reference::matmul_forward(out.data(), inp.data(), w.data(), b, N, C, OC);
  std::vector<float> out_f(out.size());
  kernels::cpu::matmul_forward(out_f.data(), to_float(inp).data(), to_float(w).data(), b_f, N, C,
                               OC);
  EXPECT_LE(rel_error(out_f, out), kFloatTolerance);

  // Gradients start from non-zero values: backward must add, not overwrite.
  const auto dout = random_vector(rng, out.size());
  auto dinp = random_vector(rng, inp.size()), dw = random_vector(rng, w.size());
  auto db = random_vector(rng, OC);
  auto dinp_f = to_float(dinp), dw_f = to_float(dw), db_f = to_float(db);
  reference::matmul_backward(dinp.data(), dw.data(), with_bias ? db.data() : nullptr, dout.data(),
                             inp.data(), w.data(), N, C, OC);
  kernels::cpu::matmul_backward(dinp_f.data(), dw_f.data(), with_bias ? db_f.data() : nullptr,
                                to_float(dout).data(), to_float(inp).data(), to_float(w).data(), N,
                                C, OC);
  EXPECT_LE(rel_error(dinp_f, dinp), kFloatTolerance);
  EXPECT_LE(rel_error(dw_f, dw), kFloatTolerance);
  EXPECT_LE(rel_error(db_f, db), kFloatTolerance);

  // Finite differences of the reference, gradients from zero this time.
  std::vector<double> gi(inp.size()), gw(w.size()), gb(OC);
  reference::matmul_backward(gi.data(), gw.data(), gb.data(), dout.data(), inp.data(), w.data(), N,
                             C, OC);
  auto objective = [&](const std::vector<double>& x, const std::vector<double>& ww,
                       const std::vector<double>& bb) {
    std::vector<double> o(out.size());
    reference::matmul_forward(o.data(), x.data(), ww.data(), bb.data(), N, C, OC);
    return dot(o, dout);
  };
  expect_gradient_matches_differences([&](const auto& x) { return objective(x, w, bias); }, inp,
                                      gi, rng, 24, "dinp");
  expect_gradient_matches_differences([&](const auto& x) { return objective(inp, x, bias); }, w,
                                      gw, rng, 24, "dweight");
  expect_gradient_matches_differences([&](const auto& x) { return objective(inp, w, x); }, bias,
                                      gb, rng, 24, "dbias");
}

TEST(Matmul, WithBiasMatchesReference) { check_matmul(true); }
TEST(Matmul, WithoutBiasMatchesReference) { check_matmul(false); }

}  // namespace
}  // namespace parcae
