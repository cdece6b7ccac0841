// The helper thread's digests are xxh3_64 of what was handed in, whatever
// the order, and an id never handed in stays 0.
#include "parcae/util/hashing_thread.hpp"

#include <gtest/gtest.h>

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
