// The streamed XXH3 (Xxh3Stream: XXH3_64bits_reset/update/digest) equals the
// one-shot xxh3_64 of the same bytes, however they are split: checkpoints
// store one-shot digests of whole datasets and readers hash them in blocks.
#include "parcae/util/checksum.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace parcae::util {
namespace {

// Bytes that are not all alike, so a piece hashed twice or skipped shows.
std::vector<unsigned char> bytes(std::size_t n) {
  std::vector<unsigned char> v(n);
  std::uint32_t x = 12345;
  for (auto& b : v) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<unsigned char>(x >> 24);
  }
  return v;
}

std::uint64_t streamed(const std::vector<unsigned char>& v, std::size_t piece) {
  Xxh3Stream s;
  for (std::size_t at = 0; at < v.size(); at += piece) {
    s.update(v.data() + at, std::min(piece, v.size() - at));
  }
  return s.digest();
}

TEST(Xxh3Stream, EqualsTheOneShotDigestForOddSizesAndSplits) {
  // Sizes across XXH3's length classes (0, 1-3, 4-8, 9-16, 17-128, 129-240,
  // longer) and around its 1 KiB stripes block and 256-byte internal buffer;
  // pieces that cut them at odd places, and one larger than the input.
  for (const std::size_t n : {0, 1, 3, 8, 17, 129, 240, 241, 1023, 1025, 4097, 1000003}) {
    const auto v = bytes(n);
    const std::uint64_t whole = xxh3_64(v.data(), v.size());
    for (const std::size_t piece : {1, 7, 64, 255, 256, 257, 1024, 65537, 2000000}) {
      EXPECT_EQ(streamed(v, piece), whole) << n << " bytes in pieces of " << piece;
    }
  }
}

TEST(Xxh3Stream, DigestsDifferWhenOneByteDiffers) {
  auto v = bytes(1000003);
  const std::uint64_t before = streamed(v, 1 << 18);
  v[777777] ^= 1;
  EXPECT_NE(streamed(v, 1 << 18), before);
  EXPECT_EQ(streamed(v, 1 << 18), xxh3_64(v.data(), v.size()));
}

}  // namespace
}  // namespace parcae::util
