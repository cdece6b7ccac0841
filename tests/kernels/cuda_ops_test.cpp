// The CUDA kernels of the model's ops against their CPU twins on fresh random
// inputs, forward and backward. Outputs that a kernel overwrites start as NaN
// (poisoned), so an element it forgets to write fails the comparison; outputs
// it accumulates into start random, so a kernel that overwrites instead of
// adding fails too. Skipped with the reason when there is no GPU (CI) or no
// CUDA in the build; tests/gpu/run.sh runs them on a GPU machine.
#include "parcae/kernels/cuda.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "kernels/check.hpp"
#include "parcae/kernels/cpu.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

#ifdef PARCAE_HAVE_CUDA

namespace cu = kernels::cuda;
namespace cpu = kernels::cpu;

#define PARCAE_REQUIRE_CUDA_DEVICE()                                             \
  do {                                                                           \
    if (cu::device_count() == 0) GTEST_SKIP() << cu::no_device_reason();         \
  } while (0)

std::vector<float> poison(std::size_t n) {
  return std::vector<float>(n, std::numeric_limits<float>::quiet_NaN());
}

std::vector<float> randf(Rng& rng, std::size_t n, double stddev = 1.0) {
  return to_float(random_vector(rng, n, stddev));
}

// Fails on a NaN too (rel_error would be NaN, and NaN <= tol is false).
void expect_close(const std::vector<float>& got, const std::vector<float>& want, double tol,
                  const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  EXPECT_LE(rel_error(got, to_double(want)), tol) << what;
}

TEST(CudaEmbedding, MatchesCpuForwardAndBackward) {
  PARCAE_REQUIRE_CUDA_DEVICE();
  const int B = 3, T = 17, C = 40, V = 11;  // V small: tokens repeat, dwte rows collide
  Rng rng(1);
  const auto tokens = random_tokens(rng, B * T, V);
  const auto wte = randf(rng, V * C), wpe = randf(rng, T * C), dout = randf(rng, B * T * C);
  const auto dwte0 = randf(rng, V * C), dwpe0 = randf(rng, T * C);

  std::vector<float> out(B * T * C), dwte = dwte0, dwpe = dwpe0;
  cpu::embedding_forward(out.data(), tokens.data(), wte.data(), wpe.data(), B, T, C);
  cpu::embedding_backward(dwte.data(), dwpe.data(), dout.data(), tokens.data(), B, T, C);

  cu::DeviceIntBuffer d_tok(tokens);
  cu::DeviceBuffer d_wte(wte), d_wpe(wpe), d_out(poison(out.size())), d_dout(dout);
  cu::DeviceBuffer d_dwte(dwte0), d_dwpe(dwpe0);
  cu::embedding_forward(d_out.data(), d_tok.data(), d_wte.data(), d_wpe.data(), B, T, C);
  cu::embedding_backward(d_dwte.data(), d_dwpe.data(), d_dout.data(), d_tok.data(), B, T, C);
  cu::synchronize();
  EXPECT_EQ(d_out.download(), out);  // one addition: the same rounding
  expect_close(d_dwte.download(), dwte, kFloatTolerance, "dwte");
  expect_close(d_dwpe.download(), dwpe, kFloatTolerance, "dwpe");
}

TEST(CudaLayernorm, MatchesCpuForwardAndBackward) {
  PARCAE_REQUIRE_CUDA_DEVICE();
  for (const int C : {1, 77, 768}) {  // below, off and on a multiple of the block
    const int N = 37;
    Rng rng(C);
    const auto inp = randf(rng, N * C, 2.0), w = randf(rng, C), b = randf(rng, C);
    const auto dout = randf(rng, N * C);
    const auto dinp0 = randf(rng, N * C), dw0 = randf(rng, C), db0 = randf(rng, C);

    std::vector<float> out(N * C), mean(N), rstd(N), dinp = dinp0, dw = dw0, db = db0;
    cpu::layernorm_forward(out.data(), mean.data(), rstd.data(), inp.data(), w.data(), b.data(),
                           N, C);
    cpu::layernorm_backward(dinp.data(), dw.data(), db.data(), dout.data(), inp.data(), w.data(),
                            mean.data(), rstd.data(), N, C);

    cu::DeviceBuffer d_inp(inp), d_w(w), d_b(b), d_dout(dout);
    cu::DeviceBuffer d_out(poison(N * C)), d_mean(poison(N)), d_rstd(poison(N));
    cu::DeviceBuffer d_dinp(dinp0), d_dw(dw0), d_db(db0);
    cu::layernorm_forward(d_out.data(), d_mean.data(), d_rstd.data(), d_inp.data(), d_w.data(),
                          d_b.data(), N, C);
    cu::layernorm_backward(d_dinp.data(), d_dw.data(), d_db.data(), d_dout.data(), d_inp.data(),
                           d_w.data(), d_mean.data(), d_rstd.data(), N, C);
    cu::synchronize();
    // C = 1: every row is its own mean, norm is 0 and the output is the bias.
    expect_close(d_out.download(), out, kFloatTolerance, "out");
    expect_close(d_mean.download(), mean, kFloatTolerance, "mean");
    expect_close(d_rstd.download(), rstd, kFloatTolerance, "rstd");
    expect_close(d_dinp.download(), dinp, kFloatTolerance, "dinp");
    expect_close(d_dw.download(), dw, kFloatTolerance, "dweight");
    expect_close(d_db.download(), db, kFloatTolerance, "dbias");
  }
}

TEST(CudaCrossentropy, MatchesCpuForwardAndBackwardWithPadding) {
  PARCAE_REQUIRE_CUDA_DEVICE();
  const int N = 19, V = 1000, Vp = 1024;
  Rng rng(3);
  const auto logits = randf(rng, N * Vp, 4.0);
  const auto targets = random_tokens(rng, N, V);
  const auto dlosses = randf(rng, N), dlogits0 = randf(rng, N * Vp);

  std::vector<float> losses(N), probs(N * Vp), dlogits = dlogits0, dlogits_mean = dlogits0;
  cpu::crossentropy_softmax_forward(losses.data(), probs.data(), logits.data(), targets.data(), N,
                                    V, Vp);
  cpu::crossentropy_softmax_backward(dlogits.data(), dlosses.data(), 0.0f, probs.data(),
                                     targets.data(), N, V, Vp);
  cpu::crossentropy_softmax_backward(dlogits_mean.data(), nullptr, 1.0f / N, probs.data(),
                                     targets.data(), N, V, Vp);

  cu::DeviceIntBuffer d_targets(targets);
  cu::DeviceBuffer d_logits(logits), d_losses(poison(N)), d_probs(poison(N * Vp));
  cu::DeviceBuffer d_dlosses(dlosses), d_dlogits(dlogits0), d_dlogits_mean(dlogits0);
  cu::crossentropy_softmax_forward(d_losses.data(), d_probs.data(), d_logits.data(),
                                   d_targets.data(), N, V, Vp);
  cu::crossentropy_softmax_backward(d_dlogits.data(), d_dlosses.data(), 0.0f, d_probs.data(),
                                    d_targets.data(), N, V, Vp);
  cu::crossentropy_softmax_backward(d_dlogits_mean.data(), nullptr, 1.0f / N, d_probs.data(),
                                    d_targets.data(), N, V, Vp);
  cu::synchronize();
  expect_close(d_losses.download(), losses, kFloatTolerance, "losses");
  expect_close(d_probs.download(), probs, kFloatTolerance, "probs");
  expect_close(d_dlogits.download(), dlogits, kFloatTolerance, "dlogits");
  expect_close(d_dlogits_mean.download(), dlogits_mean, kFloatTolerance, "dlogits, one dloss");

  // In place (probs = logits), as the head uses it.
  cu::DeviceBuffer d_inplace(logits), d_losses2(poison(N));
  cu::crossentropy_softmax_forward(d_losses2.data(), d_inplace.data(), d_inplace.data(),
                                   d_targets.data(), N, V, Vp);
  cu::synchronize();
  expect_close(d_inplace.download(), probs, kFloatTolerance, "probs in place");
  expect_close(d_losses2.download(), losses, kFloatTolerance, "losses in place");
}

TEST(CudaAdamW, MatchesCpuOverSeveralSteps) {
  PARCAE_REQUIRE_CUDA_DEVICE();
  const std::int64_t N = 100003;
  Rng rng(4);
  auto params = randf(rng, N);
  std::vector<float> m(N, 0.0f), v(N, 0.0f);
  kernels::AdamW hp;
  hp.lr = 1e-2f;
  hp.weight_decay = 0.1f;
  cu::DeviceBuffer d_p(params), d_m(m), d_v(v), d_g(N);
  for (std::int64_t step = 1; step <= 3; ++step) {
    const auto grads = randf(rng, N);
    cpu::adamw_update(params.data(), grads.data(), m.data(), v.data(), N, hp, step);
    d_g.upload(grads);
    cu::adamw_update(d_p.data(), d_g.data(), d_m.data(), d_v.data(), N, hp, step);
  }
  cu::synchronize();
  expect_close(d_p.download(), params, kFloatTolerance, "params");
  expect_close(d_m.download(), m, kFloatTolerance, "m");
  expect_close(d_v.download(), v, kFloatTolerance, "v");
}

TEST(CudaGradNorm, SumOfSquaresAndScaleMatchCpu) {
  PARCAE_REQUIRE_CUDA_DEVICE();
  for (const std::int64_t N : {std::int64_t{1}, std::int64_t{5000}, std::int64_t{3000017}}) {
    Rng rng(N);
    auto g = randf(rng, N);
    const double want = cpu::grad_sq_norm(g.data(), N);
    cu::DeviceBuffer d_g(g);
    const double got = cu::grad_sq_norm(d_g.data(), N);
    EXPECT_NEAR(got, want, 1e-12 * want) << N;  // double sums: only the order differs
    cpu::scale(g.data(), N, 0.37f);
    cu::scale(d_g.data(), N, 0.37f);
    cu::synchronize();
    EXPECT_EQ(d_g.download(), g) << N;
  }
}

TEST(CudaMatmul, MatchesCpuForwardAndBackwardOffTheTiles) {
  PARCAE_REQUIRE_CUDA_DEVICE();
  // Sizes off the 64 x 64 x 16 tiles (and one below a tile) exercise the
  // zero-filled edges; with and without bias.
  struct Shape {
    int N, C, OC;
    bool bias;
  };
  for (const Shape s : {Shape{67, 100, 130, true}, Shape{5, 3, 7, false}, Shape{128, 64, 192, true}}) {
    const int N = s.N, C = s.C, OC = s.OC;
    Rng rng(N * 1000 + C);
    const auto inp = randf(rng, N * C), w = randf(rng, OC * C), b = randf(rng, OC);
    const auto dout = randf(rng, N * OC);
    const auto dinp0 = randf(rng, N * C), dw0 = randf(rng, OC * C), db0 = randf(rng, OC);

    std::vector<float> out(N * OC), dinp = dinp0, dw = dw0, db = db0;
    cpu::matmul_forward(out.data(), inp.data(), w.data(), s.bias ? b.data() : nullptr, N, C, OC);
    cpu::matmul_backward(dinp.data(), dw.data(), s.bias ? db.data() : nullptr, dout.data(),
                         inp.data(), w.data(), N, C, OC);

    cu::DeviceBuffer d_inp(inp), d_w(w), d_b(b), d_dout(dout), d_out(poison(N * OC));
    cu::DeviceBuffer d_dinp(dinp0), d_dw(dw0), d_db(db0);
    cu::matmul_forward(d_out.data(), d_inp.data(), d_w.data(), s.bias ? d_b.data() : nullptr, N,
                       C, OC);
    cu::matmul_backward(d_dinp.data(), d_dw.data(), s.bias ? d_db.data() : nullptr,
                        d_dout.data(), d_inp.data(), d_w.data(), N, C, OC);
    cu::synchronize();
    expect_close(d_out.download(), out, kFloatTolerance, "out");
    expect_close(d_dinp.download(), dinp, kFloatTolerance, "dinp");
    expect_close(d_dw.download(), dw, kFloatTolerance, "dweight");
    EXPECT_EQ(d_db.download(), s.bias ? db : db0) << "dbias (untouched without bias)";
  }
}

TEST(CudaAttention, MatchesCpuForwardAndBackward) {
  PARCAE_REQUIRE_CUDA_DEVICE();
  // T above the 128 threads of a row block: the strided loops wrap.
  for (const int T : {1, 37, 150}) {
    const int B = 2, C = 48, NH = 4;
    Rng rng(T);
    const auto inp = randf(rng, B * T * 3 * C), dout = randf(rng, B * T * C);
    const auto dinp0 = randf(rng, B * T * 3 * C);
    const std::int64_t saved = cpu::attention_saved_floats(B, T, NH);

    std::vector<float> out(B * T * C), att(saved), dinp = dinp0;
    cpu::attention_forward(out.data(), att.data(), inp.data(), B, T, C, NH);
    cpu::attention_backward(dinp.data(), dout.data(), inp.data(), out.data(), att.data(), B, T, C,
                            NH);

    cu::DeviceBuffer d_inp(inp), d_dout(dout), d_out(poison(out.size())), d_att(poison(saved));
    cu::DeviceBuffer d_dinp(dinp0);
    cu::attention_forward(d_out.data(), d_att.data(), d_inp.data(), B, T, C, NH);
    cu::attention_backward(d_dinp.data(), d_dout.data(), d_inp.data(), d_out.data(), d_att.data(),
                           B, T, C, NH);
    cu::synchronize();
    expect_close(d_out.download(), out, kFloatTolerance, "out");
    expect_close(d_att.download(), att, kFloatTolerance, "att");
    expect_close(d_dinp.download(), dinp, kFloatTolerance, "dinp");
  }
}

#else

TEST(CudaOps, NotBuilt) { GTEST_SKIP() << "built without CUDA (PARCAE_CUDA=OFF or no nvcc)"; }

#endif

}  // namespace
}  // namespace parcae
