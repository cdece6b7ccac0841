// SharedCopy: every byte of every range copied exactly once, whoever copies.
#include "parcae/util/shared_copy.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <thread>

namespace parcae::util {
namespace {

TEST(SharedCopy, SplitsRangesIntoBlocksWithAShortLastOne) {
  std::vector<char> a(10), b(10), c(3), d(3);
  const SharedCopy copy({{b.data(), a.data(), 10}, {d.data(), c.data(), 3}, {d.data(), c.data(), 0}},
                        4);
  EXPECT_EQ(copy.blocks(), 3u + 1u);  // 4 + 4 + 2, then 3; nothing for the empty range
}

TEST(SharedCopy, BackgroundWorkersAndTheCallerCopyEverythingOnce) {
  std::vector<int> from(100'003), to(from.size(), -1), small_from(5, 9), small_to(5, 0);
  std::iota(from.begin(), from.end(), 1);
  SharedCopy copy({{to.data(), from.data(), from.size() * sizeof(int)},
                   {small_to.data(), small_from.data(), small_from.size() * sizeof(int)}},
                  4096);
  std::thread background([&] { copy.work(); });
  std::thread another([&] { copy.work(); });
  copy.finish();  // returns only once every block is copied, whoever took it
  EXPECT_EQ(to, from);
  EXPECT_EQ(small_to, small_from);
  background.join();
  another.join();
  copy.finish();  // nothing left: returns at once
  copy.wait();
}

TEST(SharedCopy, WaitReturnsOnceAnotherThreadCopiedIt) {
  std::vector<char> from(1 << 16, 'x'), to(from.size(), 'y');
  SharedCopy copy({{to.data(), from.data(), from.size()}}, 1024);
  std::thread worker([&] { copy.work(); });
  copy.wait();
  EXPECT_EQ(to, from);
  worker.join();
}

}  // namespace
}  // namespace parcae::util
