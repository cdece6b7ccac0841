// A checkpoint's place in the trace: recorded, read back, derived for a
// checkpoint without the record, and a malformed record named.
#include "parcae/elastic/trace_position.hpp"

#include <gtest/gtest.h>

#include "parcae/error.hpp"

namespace parcae::elastic {
namespace {

TEST(TracePosition, AFinishedIntervalIsTheNextOnesStart) {
  EXPECT_EQ(position_after(3, 1, 4), (TracePosition{3, 1}));
  EXPECT_EQ(position_after(3, 4, 4), (TracePosition{4, 0}));
  EXPECT_EQ(position_after(3, 0, 4), (TracePosition{3, 0}));
  EXPECT_EQ(position_after(3, 7, 0), (TracePosition{3, 0}));  // wall clock: serve k again
}

TEST(TracePosition, RoundTripsThroughTheTrainingObject) {
  const TracePosition at{12, 2};
  const nlohmann::json training = {{"steps", 40}, {"elastic", to_json(at)}};
  // The record wins over the step (a rollback shifts steps against intervals).
  EXPECT_EQ(position_of(training, 999, 4), at);
  EXPECT_EQ(position_of(nlohmann::json::parse(training.dump()), 0, 0), at);
}

TEST(TracePosition, WithoutARecordEveryIntervalTrainedItsSteps) {
  const nlohmann::json plain = {{"steps", 40}};
  EXPECT_EQ(position_of(plain, 10, 4), (TracePosition{2, 2}));
  EXPECT_EQ(position_of(plain, 12, 4), (TracePosition{3, 0}));
  EXPECT_EQ(position_of(plain, 12, 0), (TracePosition{0, 0}));
}

TEST(TracePosition, AMalformedRecordIsNamed) {
  const auto message = [](const nlohmann::json& record) {
    try {
      position_of({{"elastic", record}}, 0, 4);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({{"interval", -1}, {"steps_into_interval", 0}}),
            "field 'training.elastic.interval' is missing or not a count");
  EXPECT_EQ(message({{"interval", 2}}),
            "field 'training.elastic.steps_into_interval' is missing or not a count");
  EXPECT_EQ(message(3), "field 'training.elastic' is not an object");
}

}  // namespace
}  // namespace parcae::elastic
