// Every message between ranks survives encode -> decode unchanged, and a
// message of the wrong length is refused, not read into the wrong fields.
#include "parcae/runtime/messages.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace parcae::runtime {
namespace {

template <typename M>
void expect_round_trip(const M& message) {
  const Bytes bytes = encode_message(message);
  EXPECT_EQ(decode_message<M>(bytes), message) << tag_name(kTagOf<M>);
}

// Awkward values: negatives, NaN-free extremes, fractions no float holds.
TEST(Messages, StepReportRoundTrips) {
  expect_round_trip(StepReport{41, 12.5, 6, 0.1, 3e-4, 123.25, 100.5, 80.125, 7.0, 2});
  expect_round_trip(StepReport{std::numeric_limits<int>::max(), -1e300, 0, 1e-300, 0, 0, 0, 0,
                               std::numeric_limits<double>::max(), 0});
}

TEST(Messages, EvalReportRoundTrips) { expect_round_trip(EvalReport{99, 2.3125, 8}); }

TEST(Messages, ReleaseRoundTrips) {
  expect_round_trip(Release{});
  expect_round_trip(Release{.stopped = true});
}

TEST(Messages, ShardsSavedRoundTrips) {
  ShardsSaved m{.step = 99'999'999, .stage = 3, .shards = {}, .stall_s = 0.125, .write_s = 2.5};
  m.shards.push_back({.layer = 4, .file = "layer-0004.h5", .bytes = std::int64_t{1} << 33,
                      .step = 12, .datasets = {1, UINT64_MAX, 3}, .checksum = 0xfeedface12345678});
  m.shards.push_back({.layer = 5, .file = "layer-0005.h5", .bytes = 7, .step = 0, .datasets = {}, .checksum = 0});
  expect_round_trip(m);
  expect_round_trip(ShardsSaved{});
}

TEST(Messages, CheckpointRequestRoundTrips) {
  expect_round_trip(CheckpointRequest{1});
  expect_round_trip(CheckpointRequest{2});
}

TEST(Messages, ProfileMeasurementsRoundTrip) {
  ProfileMeasurements m;
  m.layers = {{0.5, 1.25, 16384}, {2.0, 4.5, 49664}, {0.75, 1.5, std::int64_t{1} << 40}};
  m.optimizer_ns_per_param = 1.75;
  m.allreduce_gbps = 37.5;
  m.p2p = {{4, 2.5}, {8, 2.75}, {1 << 20, 310.0}};
  expect_round_trip(m);
  expect_round_trip(ProfileMeasurements{});  // empty tables (one worker: no p2p)
}

TEST(Messages, AllreduceFiguresRoundTrip) { expect_round_trip(AllreduceFigures{4.2e6, 3.5, 4.25}); }

TEST(Messages, ControlMessageRoundTrips) {
  ControlMessage m;
  m.epoch = 1LL << 40;
  m.interval = 17;
  m.dp = 2;
  m.pp = 3;
  m.placements = {0, 1, 2, -1, 3, 4, 5};
  m.stage_starts = {0, 2, 4, 6};
  m.preempted = {4};
  m.allocated = {7};
  m.evacuate = true;
  m.moves = {{0, 1, 5, 1200}, {1, 1, 5, 400}, {5, 3, 7, std::int64_t{1} << 33}};
  m.state = ControlMessage::State::fresh;
  m.first_step = 123456789012;
  m.steps = 5;
  m.joiners = 2;
  m.liveness = {"node-3.cluster", 40123};
  expect_round_trip(m);
  m.state = ControlMessage::State::checkpoint;
  expect_round_trip(m);
  m.state = ControlMessage::State::through_store;
  m.saves = {{2, 0, 3}, {6, 3, 6}};
  expect_round_trip(m);
  ControlMessage done;
  done.finish = true;
  expect_round_trip(done);
  done.stopped = true;
  expect_round_trip(done);
}

TEST(Messages, ControlMessageWithAnUnknownStateIsRefused) {
  Bytes bytes = encode_message(ControlMessage{});
  // The state is the int before the saves (an 8-byte count), first_step (8
  // bytes), steps and joiners (4 each) and the liveness address (an 8-byte
  // count, no characters, a 4-byte port).
  bytes[bytes.size() - 40] = std::byte{9};
  try {
    decode_message<ControlMessage>(bytes);
    ADD_FAILURE() << "an unknown state was decoded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown state 9"), std::string::npos) << e.what();
  }
}

TEST(Messages, MigrationReportRoundTrips) {
  expect_round_trip(MigrationReport{12, 0.625, 1 << 30, 3, 0.5});
}

TEST(Messages, WaitingNoticeRoundTrips) {
  expect_round_trip(WaitingNotice{{3, 7, 12}, 5.25});
  expect_round_trip(WaitingNotice{});
}

TEST(Messages, RecoveryMessagesRoundTrip) {
  expect_round_trip(AbortStep{17, {2, 5}});
  expect_round_trip(AbortStep{});
  expect_round_trip(SurvivorReport{18, 3, 5, 41});
  expect_round_trip(SurvivorReport{std::numeric_limits<std::int64_t>::max(), 0, 0, -1});
  expect_round_trip(Survivors{19, {0, 1, 3, 4, 6}, 40});
  expect_round_trip(Survivors{});
}

TEST(Messages, JoinSpawnRoundTrips) {
  expect_round_trip(JoinSpawn{12, 5, 6, 3.0, 7, {"head-node", 51515}});
  expect_round_trip(JoinSpawn{std::numeric_limits<std::int64_t>::max(), 1 << 20, 1 << 20, 0.0,
                              1 << 20, {}});
}

TEST(Messages, DeviceSeatsRoundTrip) {
  expect_round_trip(DeviceSeat{"node-7", "0000:3b:00.0"});
  expect_round_trip(DeviceSeat{});
  expect_round_trip(DeviceSeats{{{"a", "0000:3b:00.0"}, {"a", ""}, {"b", "0000:3b:00.0"}}});
  expect_round_trip(DeviceSeats{});
}

TEST(Messages, EveryKindHasItsOwnTag) {
  const Tag tags[] = {kTagOf<StepReport>,          kTagOf<EvalReport>,       kTagOf<Release>,
                      kTagOf<ProfileMeasurements>, kTagOf<AllreduceFigures>, kTagOf<WaitingNotice>,
                      kTagOf<ControlMessage>,      kTagOf<MigrationReport>,  kTagOf<AbortStep>,
                      kTagOf<SurvivorReport>,      kTagOf<Survivors>,        kTagOf<JoinSpawn>,
                      kTagOf<DeviceSeat>,          kTagOf<DeviceSeats>};
  for (std::size_t i = 0; i < std::size(tags); ++i)
    for (std::size_t j = i + 1; j < std::size(tags); ++j) EXPECT_NE(tags[i], tags[j]);
}

TEST(Messages, TruncatedOrOverlongBytesAreRefusedNamingTheMessage) {
  Bytes bytes = encode_message(StepReport{1, 2, 3, 4, 5, 6, 7, 8, 9});
  Bytes longer = bytes;
  longer.push_back(std::byte{0});
  bytes.pop_back();
  try {
    decode_message<StepReport>(bytes);
    FAIL() << "decoded a truncated message";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("step report message: truncated"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(decode_message<StepReport>(longer), std::runtime_error);
  // An eval report is not a step report.
  EXPECT_THROW(decode_message<StepReport>(encode_message(EvalReport{1, 2, 3})), std::runtime_error);
}

TEST(Messages, ACorruptCountFailsAtOnce) {
  Encoder e;
  e.put(std::uint64_t{1} << 60);  // "2^60 layers" and nothing behind it
  const Bytes bytes = e.take();
  EXPECT_THROW(decode_message<ProfileMeasurements>(bytes), std::runtime_error);
}

}  // namespace
}  // namespace parcae::runtime
