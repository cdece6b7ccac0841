// ShardWriter: a background write of a copy, records as a synchronous write
// gives, errors carried to wait() or the next submit().
#include <gtest/gtest.h>

#include "parcae/ckpt/paths.hpp"
#include "parcae/ckpt/shard_file.hpp"
#include "parcae/ckpt/shard_writer.hpp"
#include "parcae/error.hpp"
#include "test_support.hpp"

namespace parcae::ckpt {
namespace {

using testing::TempDir;

const model::GptConfig kTiny = model::GptConfig::preset("tiny");

std::vector<model::Shard> stage(int first, int end, std::int64_t step) {
  std::vector<model::Shard> shards;
  for (int l = first; l < end; ++l) {
    shards.push_back(model::make_shard(kTiny, l, 3));
    shards.back().step = step;
  }
  return shards;
}

TEST(ShardWriter, WritesACopyWhileTheCallerChangesItsOwn) {
  TempDir dir;
  auto shards = stage(1, 4, 10);
  const auto saved = shards;
  ShardWriter writer;
  writer.submit(dir.path() / "a", kTiny, shards);
  for (auto& s : shards) {  // training goes on at once
    for (auto& x : s.param) x += 1.0f;
    s.step = 11;
  }
  const auto records = writer.wait();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_GE(writer.copy_seconds(), 0.0);
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].layer, saved[i].layer);
    EXPECT_EQ(records[i].checksum, saved[i].checksum());
    EXPECT_EQ(read_shard(dir.path() / "a", kTiny, records[i]), saved[i]);
  }
  // The same records as a synchronous write of the same state.
  EXPECT_EQ(records[1], write_shard(dir.path() / "b", kTiny, saved[1]));
  EXPECT_TRUE(writer.wait().empty());  // collected already
  EXPECT_FALSE(writer.busy());
}

TEST(ShardWriter, OverlappedCopyIsTheStateAtSubmit) {
  TempDir dir;
  auto shards = stage(0, 6, 4);
  const auto saved = shards;
  ShardWriter writer;
  writer.submit_overlapped(dir.path(), kTiny, shards);
  EXPECT_GE(writer.wait_copied(), 0.0);  // before the next optimizer update
  for (auto& s : shards) s.param.assign(s.param.size(), 7.0f);
  const auto records = writer.wait();
  ASSERT_EQ(records.size(), 6u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(read_shard(dir.path(), kTiny, records[i]), saved[i]) << i;
  }
  const double waited = writer.wait_copied();  // nothing in flight: returns at once
  EXPECT_EQ(waited, writer.copy_seconds());
}

TEST(ShardWriter, OverlappedSourcesAreCopiedIntoThePreviousBuffers) {
  TempDir dir;
  auto state = stage(1, 3, 5);
  const auto saved = state;
  std::vector<ShardWriter::Source> sources;
  for (const auto& s : state) {
    sources.push_back({s.layer, s.step, s.param.data(), s.adam_m.data(), s.adam_v.data(),
                       s.param.size()});
  }
  ShardWriter writer;
  writer.submit_overlapped(dir.path() / "a", kTiny, sources);
  EXPECT_GE(writer.wait_copied(), 0.0);  // the caller's threads finish what is left
  for (auto& s : state) s.adam_v.assign(s.adam_v.size(), 7.0f);  // the next update
  const auto records = writer.wait();
  ASSERT_EQ(records.size(), 2u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(read_shard(dir.path() / "a", kTiny, records[i]), saved[i]) << i;
  }
  // The next overlapped checkpoint fills the same buffers again.
  auto buffers = writer.take_buffers();
  const float* first = buffers[0].adam_m.data();
  writer.submit(dir.path() / "b", kTiny, std::move(buffers));
  writer.wait();
  writer.submit_overlapped(dir.path() / "c", kTiny, sources);
  writer.wait_copied();
  EXPECT_EQ(writer.wait()[1], write_shard(dir.path() / "d", kTiny, state[1]));
  EXPECT_EQ(writer.take_buffers()[0].adam_m.data(), first);
}

TEST(ShardWriter, AdoptedShardsAreWrittenAsTheyAreAndComeBackForReuse) {
  TempDir dir;
  auto shards = stage(2, 5, 7);
  const auto saved = shards;
  const float* first = shards[0].param.data();
  ShardWriter writer;
  EXPECT_TRUE(writer.take_buffers().empty());  // nothing submitted yet
  writer.submit(dir.path() / "a", kTiny, std::move(shards));
  EXPECT_EQ(writer.copy_seconds(), 0.0);
  const auto records = writer.wait();
  ASSERT_EQ(records.size(), 3u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(read_shard(dir.path() / "a", kTiny, records[i]), saved[i]) << i;
  }
  // The same buffers, not copies: the next checkpoint fills them in place.
  auto again = writer.take_buffers();
  ASSERT_EQ(again.size(), 3u);
  EXPECT_EQ(again[0].param.data(), first);
  EXPECT_EQ(again, saved);
  EXPECT_TRUE(writer.take_buffers().empty());  // taken already
  for (auto& s : again) s.step = 8;
  writer.submit(dir.path() / "b", kTiny, std::move(again));
  EXPECT_EQ(writer.wait()[2].step, 8);
}

TEST(ShardWriter, NextSubmitWaitsForThePrevious) {
  TempDir dir;
  ShardWriter writer;
  writer.submit(dir.path() / "s1", kTiny, stage(0, 6, 1));
  writer.submit(dir.path() / "s2", kTiny, stage(0, 6, 2));  // the first is done by now
  for (int l = 0; l < 6; ++l) {
    EXPECT_TRUE(fs::exists(dir.path() / "s1" / shard_file_name(l))) << l;
  }
  const auto records = writer.wait();
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[0].step, 2);
}

TEST(ShardWriter, ErrorReachesWaitAndTheWriterGoesOn) {
  TempDir dir;
  testing::TempFile in_the_way("a file, not a folder");
  ShardWriter writer;
  writer.submit(in_the_way.path() / "step", kTiny, stage(1, 2, 1));
  EXPECT_THROW(writer.wait(), IoError);
  writer.submit(in_the_way.path() / "step", kTiny, stage(1, 2, 1));
  EXPECT_THROW(writer.submit(dir.path(), kTiny, stage(1, 2, 1)), IoError);  // from the previous
  writer.submit(dir.path(), kTiny, stage(1, 2, 1));
  EXPECT_EQ(writer.wait().size(), 1u);
}

}  // namespace
}  // namespace parcae::ckpt
