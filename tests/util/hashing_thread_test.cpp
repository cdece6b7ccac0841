// The helper thread's digests are xxh3_64 of what was handed in, whatever
// the order across ids, pieces of one id as their concatenation, and an id
// never handed in stays 0.
#include "parcae/util/hashing_thread.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "parcae/util/checksum.hpp"

namespace parcae::util {
namespace {

TEST(HashingThread, DigestsAreTheBuffersXxh3ByIdInAnyOrder) {
  std::vector<std::vector<float>> buffers(5);
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    buffers[i].resize(1000 + 777 * i);
    std::iota(buffers[i].begin(), buffers[i].end(), static_cast<float>(i));
  }
  HashingThread hashing(buffers.size() + 1);  // id 5 is never handed in
  for (const std::size_t id : {3, 0, 4, 1, 2}) hashing.hash(id, std::span<const float>(buffers[id]));
  const auto digests = hashing.finish();
  ASSERT_EQ(digests.size(), buffers.size() + 1);
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    EXPECT_EQ(digests[i], xxh3_64(std::span<const float>(buffers[i]))) << i;
  }
  EXPECT_EQ(digests[5], 0u);
  EXPECT_NE(digests[0], digests[1]);
}

TEST(HashingThread, PiecesOfAnIdAreHashedAsTheirConcatenation) {
  // Two items handed over in blocks of odd sizes, interleaved, as a reader
  // hands over each block of a dataset as it lands.
  std::vector<float> a(100003), b(54321);
  std::iota(a.begin(), a.end(), 0.5f);
  std::iota(b.begin(), b.end(), -7.0f);
  HashingThread hashing(2);
  const std::size_t piece = 4099;
  for (std::size_t at = 0; at < std::max(a.size(), b.size()); at += piece) {
    if (at < a.size()) hashing.hash(0, a.data() + at, std::min(piece, a.size() - at) * sizeof(float));
    if (at < b.size()) hashing.hash(1, b.data() + at, std::min(piece, b.size() - at) * sizeof(float));
  }
  const auto digests = hashing.finish();
  EXPECT_EQ(digests[0], xxh3_64(std::span<const float>(a)));
  EXPECT_EQ(digests[1], xxh3_64(std::span<const float>(b)));
}

TEST(HashingThread, NoItemsNoDigests) {
  HashingThread hashing(0);
  EXPECT_TRUE(hashing.finish().empty());
}

TEST(HashingThread, AnIdOutOfRangeIsRefused) {
  HashingThread hashing(2);
  const float x = 1;
  EXPECT_THROW(hashing.hash(2, &x, sizeof x), std::out_of_range);
}

TEST(HashingThread, LeavingWithoutFinishJoins) {
  std::vector<float> big(1 << 20, 1.0f);
  HashingThread hashing(1);
  hashing.hash(0, std::span<const float>(big));
}  // the destructor joins (a test run would abort on a joinable thread)

}  // namespace
}  // namespace parcae::util
