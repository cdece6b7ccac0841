#include <sstream>

#include <gtest/gtest.h>

#include "parcae/error.hpp"
#include "parcae/trace/trace.hpp"

namespace parcae::trace {
namespace {

Trace parse(const std::string& text) {
  std::istringstream in(text);
  return parse_trace(in, "t.csv");
}

// The message of the InputError that parsing `text` raises ("" if none).
std::string rejection(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ParseTrace, ReadsEventsInOrder) {
  const auto t = parse("0,add,a\n0,add,b\n60000,remove,a\n");
  ASSERT_EQ(t.events.size(), 3u);
  EXPECT_EQ(t.events[2].time_ms, 60000);
  EXPECT_EQ(t.events[2].kind, EventKind::remove);
  EXPECT_EQ(t.events[2].node, "a");
  EXPECT_EQ(t.source, "t.csv");
}

TEST(ParseTrace, AcceptsCrlfBlankLinesAndSpaces) {
  const auto t = parse("0,add,a\r\n\r\n 5 , remove , a \r\n");
  ASSERT_EQ(t.events.size(), 2u);
  EXPECT_EQ(t.events[1].node, "a");
  EXPECT_EQ(t.events[1].time_ms, 5);
}

TEST(ParseTrace, AcceptsMissingFinalNewline) { EXPECT_EQ(parse("0,add,a").events.size(), 1u); }

TEST(ParseTrace, RejectsEmptyFile) {
  EXPECT_NE(rejection("").find("t.csv: empty trace"), std::string::npos);
  EXPECT_NE(rejection("\n\r\n  \n").find("empty trace"), std::string::npos);
}

TEST(ParseTrace, RejectsBadNumbersWithLine) {
  EXPECT_NE(rejection("0,add,a\nx1,add,b\n").find("t.csv:2: bad timestamp 'x1'"),
            std::string::npos);
  EXPECT_NE(rejection("1.5,add,a\n").find("t.csv:1: bad timestamp"), std::string::npos);
  EXPECT_NE(rejection(",add,a\n").find("t.csv:1: bad timestamp"), std::string::npos);
  EXPECT_NE(rejection("-5,add,a\n").find("t.csv:1: negative timestamp"), std::string::npos);
  EXPECT_NE(rejection("99999999999999999999999,add,a\n").find("t.csv:1: bad timestamp"),
            std::string::npos);
}

TEST(ParseTrace, RejectsUnknownOp) {
  EXPECT_NE(rejection("0,add,a\n0,delete,a\n").find("t.csv:2: unknown op 'delete'"),
            std::string::npos);
}

TEST(ParseTrace, RejectsWrongFieldCount) {
  EXPECT_NE(rejection("0,add\n").find("t.csv:1: expected 3 fields"), std::string::npos);
  EXPECT_NE(rejection("0,add,a,b\n").find("t.csv:1: expected 3 fields"), std::string::npos);
  EXPECT_NE(rejection("0,add,\n").find("t.csv:1: empty node name"), std::string::npos);
}

TEST(ParseTrace, RejectsTimeGoingBack) {
  EXPECT_NE(rejection("10,add,a\n5,add,b\n").find("t.csv:2: timestamp 5 goes back"),
            std::string::npos);
}

TEST(ParseTrace, RejectsRemovalOfNodeNotAlive) {
  EXPECT_NE(rejection("0,add,a\n1,remove,b\n").find("t.csv:2: node 'b' removed but not alive"),
            std::string::npos);
  EXPECT_NE(rejection("0,add,a\n1,remove,a\n2,remove,a\n").find("t.csv:3:"), std::string::npos);
}

TEST(ParseTrace, RejectsSecondAddOfLiveNode) {
  EXPECT_NE(rejection("0,add,a\n1,add,a\n").find("t.csv:2: node 'a' added while already alive"),
            std::string::npos);
}

TEST(ParseTrace, AcceptsReAddAfterRemoval) {
  EXPECT_EQ(parse("0,add,a\n1,remove,a\n2,add,a\n").events.size(), 3u);
}

TEST(ParseTrace, WriteThenParseRoundTrips) {
  const auto t = parse("0,add,a\n0,add,b\n70000,remove,b\n");
  std::ostringstream out;
  write_trace(out, t);
  EXPECT_EQ(out.str(), "0,add,a\n0,add,b\n70000,remove,b\n");
}

TEST(ReadTraceFile, MissingFileIsInputError) {
  EXPECT_THROW(read_trace_file("/nonexistent/trace.csv"), InputError);
}

}  // namespace
}  // namespace parcae::trace
