// xxh3_64 and Xxh3Stream give libxxhash's reference digests: the run-time
// dispatched (AVX2 / AVX-512) code must agree with the baseline build for
// every input length class XXH3 treats differently (0, 1-3, 4-8, 9-16,
// 17-128, 129-240, long inputs with and without a partial stripe and
// block), or checkpoints written by one machine would not verify on another.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstdint>
#include <vector>

#include "parcae/util/checksum.hpp"

namespace parcae::util {
namespace {

std::vector<unsigned char> pattern(std::size_t n) {
  std::vector<unsigned char> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<unsigned char>((i * 2654435761u) >> 13);
  return out;
}

const std::size_t kLengths[] = {0, 1, 3, 4, 8, 9, 16, 17, 128, 129, 240, 241, 1000, 1024,
                                1025, 4096, 65537, (1u << 20) + 13};

TEST(Checksum, OneShotEqualsTheBaselineBuild) {
  for (std::size_t n : kLengths) {
    const auto bytes = pattern(n);
    EXPECT_EQ(xxh3_64(bytes.data(), n), XXH3_64bits(bytes.data(), n)) << n << " bytes";
  }
}

TEST(Checksum, StreamInUnevenPiecesEqualsOneShot) {
  for (std::size_t n : kLengths) {
    const auto bytes = pattern(n);
    Xxh3Stream stream;
    std::size_t done = 0;
    for (std::size_t piece = 1; done < n; piece = piece * 3 + 1) {
      const std::size_t take = std::min(piece, n - done);
      stream.update(bytes.data() + done, take);
      done += take;
    }
    EXPECT_EQ(stream.digest(), XXH3_64bits(bytes.data(), n)) << n << " bytes";
  }
}

TEST(Checksum, OneFlippedBitChangesTheDigest) {
  auto bytes = pattern(4096);
  const std::uint64_t before = xxh3_64(bytes.data(), bytes.size());
  bytes[2047] ^= 0x10;
  EXPECT_NE(xxh3_64(bytes.data(), bytes.size()), before);
}

}  // namespace
}  // namespace parcae::util
