#include <gtest/gtest.h>

#include "kernels/check.hpp"
#include "kernels/reference.hpp"
#include "parcae/kernels/cpu.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

TEST(Embedding, ForwardAndBackwardMatchReference) {
  const int B = 3, T = 7, C = 24, V = 11;
  Rng rng(1);
  const auto tokens = random_tokens(rng, B * T, V);  // V small: tokens repeat, rows collide
  const auto wte = random_vector(rng, V * C), wpe = random_vector(rng, T * C);
  std::vector<double> out(B * T * C);
  reference::embedding_forward(out.data(), tokens.data(), wte.data(), wpe.data(), B, T, C);
  std::vector<float> out_f(out.size());
  kernels::cpu::embedding_forward(out_f.data(), tokens.data(), to_float(wte).data(),
                                  to_float(wpe).data(), B, T, C);
  EXPECT_LE(rel_error(out_f, out), kFloatTolerance);

  const auto dout = random_vector(rng, out.size());
  std::vector<double> dwte(wte.size()), dwpe(wpe.size());
  reference::embedding_backward(dwte.data(), dwpe.data(), dout.data(), tokens.data(), B, T, C);
  std::vector<float> dwte_f(wte.size()), dwpe_f(wpe.size());
  kernels::cpu::embedding_backward(dwte_f.data(), dwpe_f.data(), to_float(dout).data(),
                                   tokens.data(), B, T, C);
  EXPECT_LE(rel_error(dwte_f, dwte), kFloatTolerance);
  EXPECT_LE(rel_error(dwpe_f, dwpe), kFloatTolerance);

  // Backward accumulates: a second call doubles the gradients.
  kernels::cpu::embedding_backward(dwte_f.data(), dwpe_f.data(), to_float(dout).data(),
                                   tokens.data(), B, T, C);
  for (auto& g : dwte) g *= 2;
  EXPECT_LE(rel_error(dwte_f, dwte), kFloatTolerance);

  // The reference backward against finite differences of its forward.
  auto objective_wte = [&](const std::vector<double>& x) {
    std::vector<double> o(out.size());
    reference::embedding_forward(o.data(), tokens.data(), x.data(), wpe.data(), B, T, C);
    return dot(o, dout);
  };
  for (auto& g : dwte) g /= 2;
  expect_gradient_matches_differences(objective_wte, wte, dwte, rng, 24, "dwte");
  auto objective_wpe = [&](const std::vector<double>& x) {
    std::vector<double> o(out.size());
    reference::embedding_forward(o.data(), tokens.data(), wte.data(), x.data(), B, T, C);
    return dot(o, dout);
  };
  expect_gradient_matches_differences(objective_wpe, wpe, dwpe, rng, 24, "dwpe");
}

}  // namespace
}  // namespace parcae
