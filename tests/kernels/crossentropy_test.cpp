#include <cmath>

#include <gtest/gtest.h>

#include "kernels/check.hpp"
#include "kernels/reference.hpp"
#include "parcae/kernels/cpu.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

TEST(CrossEntropy, ForwardAndBackwardMatchReference) {
  const int N = 21, V = 50, Vp = 64;  // padded vocabulary: columns V..Vp are ignored
  Rng rng(9);
  auto logits = random_vector(rng, N * Vp, 3.0);
  for (int n = 0; n < N; ++n)
    for (int i = V; i < Vp; ++i) logits[n * Vp + i] = 1e3;  // would dominate if not ignored
  const auto targets = random_tokens(rng, N, V);
  std::vector<double> losses(N);
  reference::crossentropy_forward(losses.data(), logits.data(), targets.data(), N, V, Vp);
  std::vector<float> losses_f(N), probs(N * Vp);
  kernels::cpu::crossentropy_softmax_forward(losses_f.data(), probs.data(),
                                             to_float(logits).data(), targets.data(), N, V, Vp);
  EXPECT_LE(rel_error(losses_f, losses), kFloatTolerance);
  for (int n = 0; n < N; ++n) {
    double sum = 0;
    for (int i = 0; i < Vp; ++i) sum += probs[n * Vp + i];
    EXPECT_NEAR(sum, 1.0, 1e-6);
    EXPECT_EQ(probs[n * Vp + V], 0.0f);
  }

  const auto dlosses = random_vector(rng, N);
  auto dlogits = random_vector(rng, N * Vp);
  auto dlogits_f = to_float(dlogits);
  reference::crossentropy_backward(dlogits.data(), dlosses.data(), logits.data(), targets.data(),
                                   N, V, Vp);
  kernels::cpu::crossentropy_softmax_backward(dlogits_f.data(), to_float(dlosses).data(), 0.0f,
                                              probs.data(), targets.data(), N, V, Vp);
  EXPECT_LE(rel_error(dlogits_f, dlogits), kFloatTolerance);

  // A uniform weight (the mean loss) through the scalar argument.
  std::vector<double> grad(N * Vp), ones(N, 1.0 / N);
  reference::crossentropy_backward(grad.data(), ones.data(), logits.data(), targets.data(), N, V,
                                   Vp);
  std::vector<float> grad_f(N * Vp);
  kernels::cpu::crossentropy_softmax_backward(grad_f.data(), nullptr, 1.0f / N, probs.data(),
                                              targets.data(), N, V, Vp);
  EXPECT_LE(rel_error(grad_f, grad), kFloatTolerance);

  auto objective = [&](const std::vector<double>& x) {
    std::vector<double> l(N);
    reference::crossentropy_forward(l.data(), x.data(), targets.data(), N, V, Vp);
    double mean = 0;
    for (double v : l) mean += v / N;
    return mean;
  };
  expect_gradient_matches_differences(objective, logits, grad, rng, 48, "dlogits");
}

TEST(CrossEntropy, InPlaceSoftmaxGivesTheSameResult) {
  const int N = 9, V = 30, Vp = 32;
  Rng rng(12);
  const auto logits = to_float(random_vector(rng, N * Vp, 2.0));
  const auto targets = random_tokens(rng, N, V);
  std::vector<float> losses(N), probs(N * Vp), losses2(N), inplace = logits;
  kernels::cpu::crossentropy_softmax_forward(losses.data(), probs.data(), logits.data(),
                                             targets.data(), N, V, Vp);
  kernels::cpu::crossentropy_softmax_forward(losses2.data(), inplace.data(), inplace.data(),
                                             targets.data(), N, V, Vp);
  EXPECT_EQ(losses, losses2);
  EXPECT_EQ(probs, inplace);
}

TEST(CrossEntropy, HugeLogitsStayFinite) {
  const int N = 1, V = 3, Vp = 3;
  const std::vector<float> logits = {1000.0f, -1000.0f, 0.0f};
  const int target = 1;
  float loss = 0;
  std::vector<float> probs(3);
  kernels::cpu::crossentropy_softmax_forward(&loss, probs.data(), logits.data(), &target, N, V,
                                             Vp);
  EXPECT_FLOAT_EQ(loss, 2000.0f);  // log-sum-exp, not -log(0) = inf
}

}  // namespace
}  // namespace parcae
