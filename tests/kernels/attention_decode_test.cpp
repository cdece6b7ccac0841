// Decoding attention (one query over a KV cache) against the full-sequence
// attention: row t of the double-precision reference over T positions must be
// what the decode kernel computes from q_t and the cached k, v of 0..t.
#include <gtest/gtest.h>

#include "kernels/check.hpp"
#include "kernels/reference.hpp"
#include "parcae/kernels/cpu.hpp"

namespace parcae {
namespace {

using namespace parcae::testing;

// The cache a generation loop would hold after positions 0..T-1: keys and
// values [T,C] each, split out of qkv[T,3C].
struct Cache {
  std::vector<float> k, v;
};
Cache cache_of(const std::vector<float>& qkv, int T, int C) {
  Cache c{std::vector<float>(T * C), std::vector<float>(T * C)};
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < C; ++i) {
      c.k[t * C + i] = qkv[(t * 3 + 1) * C + i];
      c.v[t * C + i] = qkv[(t * 3 + 2) * C + i];
    }
  return c;
}

TEST(AttentionDecode, EveryPositionMatchesFullForwardReference) {
  const int T = 29, C = 24, NH = 3;
  Rng rng(11);
  const auto inp = random_vector(rng, T * 3 * C, 2.0);  // peaked softmaxes, not near-uniform
  std::vector<double> full(T * C);
  reference::attention_forward(full.data(), inp.data(), 1, T, C, NH);
  const auto inp_f = to_float(inp);
  const Cache cache = cache_of(inp_f, T, C);
  for (int t = 0; t < T; ++t) {
    std::vector<float> out(C, -7.0f);
    // Only positions 0..t are cached: the kernel never sees the future.
    kernels::cpu::attention_decode_forward(out.data(), inp_f.data() + t * 3 * C, cache.k.data(),
                                           cache.v.data(), t + 1, C, NH);
    const std::vector<double> want(full.begin() + t * C, full.begin() + (t + 1) * C);
    EXPECT_LE(rel_error(out, want), kFloatTolerance) << "position " << t;
  }
}

TEST(AttentionDecode, MatchesTheFloatKernelsLastRow) {
  const int T = 64, C = 32, NH = 4;
  Rng rng(12);
  const auto inp = to_float(random_vector(rng, T * 3 * C));
  std::vector<float> full(T * C), att(kernels::cpu::attention_saved_floats(1, T, NH));
  kernels::cpu::attention_forward(full.data(), att.data(), inp.data(), 1, T, C, NH);
  const Cache cache = cache_of(inp, T, C);
  std::vector<float> out(C);
  kernels::cpu::attention_decode_forward(out.data(), inp.data() + (T - 1) * 3 * C, cache.k.data(),
                                         cache.v.data(), T, C, NH);
  const std::vector<float> last(full.end() - C, full.end());
  EXPECT_LE(rel_error(out, to_double(last)), kFloatTolerance);
}

TEST(AttentionDecode, OnePositionReturnsItsValue) {
  const int C = 8, NH = 2;
  Rng rng(13);
  const auto q = to_float(random_vector(rng, C)), k = to_float(random_vector(rng, C));
  const auto v = to_float(random_vector(rng, C));
  std::vector<float> out(C);
  kernels::cpu::attention_decode_forward(out.data(), q.data(), k.data(), v.data(), 1, C, NH);
  for (int i = 0; i < C; ++i) EXPECT_FLOAT_EQ(out[i], v[i]);
}

}  // namespace
}  // namespace parcae
