#include <vector>

#include <gtest/gtest.h>

#include "parcae/data/batches.hpp"
#include "parcae/data/corpus.hpp"
#include "parcae/error.hpp"

namespace parcae::data {
namespace {

TEST(Batches, TargetsAreInputsShiftedByOne) {
  const auto data = synthetic_arithmetic(1, 5000);
  const int B = 3, T = 16;
  std::vector<int> in(B * T), out(B * T);
  fill_batch(data, 42, 7, 0, B, T, in, out);
  for (int b = 0; b < B; ++b) {
    const auto off = sample_offset(42, 7, b, data.tokens.size(), T);
    for (int t = 0; t < T; ++t) {
      EXPECT_EQ(in[b * T + t], data.tokens[off + t]);
      EXPECT_EQ(out[b * T + t], data.tokens[off + t + 1]);
    }
  }
}

// Replicas that split a global batch by sample index see exactly the rows of
// the whole batch: the property data parallelism rests on.
TEST(Batches, SplittingByGlobalSampleIndexGivesTheSameRows) {
  const auto data = synthetic_arithmetic(2, 3000);
  const int G = 7, T = 8;
  std::vector<int> whole_in(G * T), whole_out(G * T);
  fill_batch(data, 9, 3, 0, G, T, whole_in, whole_out);
  for (int first : {0, 3, 5}) {
    const int count = first == 5 ? 2 : (first == 0 ? 3 : 2);
    std::vector<int> in(count * T), out(count * T);
    fill_batch(data, 9, 3, first, count, T, in, out);
    EXPECT_TRUE(std::equal(in.begin(), in.end(), whole_in.begin() + first * T));
  }
}

TEST(Batches, PureFunctionOfSeedStepAndSample) {
  const std::size_t n = 100000;
  EXPECT_EQ(sample_offset(1, 2, 3, n, 64), sample_offset(1, 2, 3, n, 64));
  EXPECT_NE(sample_offset(1, 2, 3, n, 64), sample_offset(1, 2, 4, n, 64));
  EXPECT_NE(sample_offset(1, 2, 3, n, 64), sample_offset(1, 3, 3, n, 64));
  EXPECT_NE(sample_offset(1, 2, 3, n, 64), sample_offset(2, 2, 3, n, 64));
  for (std::uint64_t s = 0; s < 1000; ++s) EXPECT_LE(sample_offset(5, s, s, 70, 64), 5u);
}

TEST(Batches, ContextLongerThanTheDataIsInputError) {
  const auto data = encode_bytes("short", "tiny.bin");
  std::vector<int> in(8), out(8);
  try {
    fill_batch(data, 1, 0, 0, 1, 8, in, out);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("tiny.bin: 5 tokens cannot fill one sample"),
              std::string::npos);
  }
  EXPECT_NO_THROW(fill_batch(data, 1, 0, 0, 1, 4, in, out));
}

TEST(Batches, ValidationWindowsAreFixedAndSpreadOut) {
  const auto data = synthetic_arithmetic(3, 1000);
  const int T = 10;
  std::vector<int> a(4 * T), at(4 * T), b(2 * T), bt(2 * T);
  fill_validation_batch(data, 0, 4, 4, T, a, at);
  fill_validation_batch(data, 2, 2, 4, T, b, bt);
  EXPECT_TRUE(std::equal(b.begin(), b.end(), a.begin() + 2 * T));
  EXPECT_EQ(a[0], data.tokens[0]);
  EXPECT_EQ(a[3 * T], data.tokens[3 * (1000 - T) / 4]);
}

}  // namespace
}  // namespace parcae::data
