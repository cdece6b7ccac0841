#include <sstream>

#include <gtest/gtest.h>

#include "parcae/error.hpp"
#include "parcae/trace/segments.hpp"
#include "parcae/trace/series.hpp"
#include "test_support.hpp"

namespace parcae::trace {
namespace {

Series series_of(const std::string& text, double interval_s = 60.0) {
  std::istringstream in(text);
  return discretise(parse_trace(in, "t.csv"), interval_s);
}

TEST(Discretise, CountsPerIntervalAndRunningLevel) {
  const auto s = series_of(
      "0,add,a\n0,add,b\n59999,add,c\n60000,remove,a\n130000,remove,b\n130000,add,d\n");
  ASSERT_EQ(s.intervals.size(), 3u);
  EXPECT_EQ(s.intervals[0], (Interval{3, 3, 0}));
  EXPECT_EQ(s.intervals[1], (Interval{2, 0, 1}));
  EXPECT_EQ(s.intervals[2], (Interval{2, 1, 1}));
}

TEST(Discretise, QuietIntervalsKeepTheLevel) {
  const auto s = series_of("0,add,a\n300000,add,b\n");
  ASSERT_EQ(s.intervals.size(), 6u);
  for (int k = 1; k < 5; ++k) EXPECT_EQ(s.intervals[k], (Interval{1, 0, 0}));
  EXPECT_EQ(s.intervals[5], (Interval{2, 1, 0}));
}

TEST(Discretise, OtherIntervalLengths) {
  const auto s = series_of("0,add,a\n30000,add,b\n", 30.0);
  ASSERT_EQ(s.intervals.size(), 2u);
  EXPECT_EQ(s.intervals[1], (Interval{2, 1, 0}));
  EXPECT_THROW(series_of("0,add,a\n", 0.0), InputError);
}

TEST(Window, SlicesIntervalsAndKeepsLevels) {
  const auto s = series_of("0,add,a\n0,add,b\n3600000,remove,a\n7200000,add,c\n");
  const auto w = window(s, 1.0, 2.0);
  EXPECT_EQ(w.first_index, 60);
  ASSERT_EQ(w.intervals.size(), 60u);
  EXPECT_EQ(w.intervals.front(), (Interval{1, 0, 1}));
  EXPECT_EQ(w.intervals.back(), (Interval{1, 0, 0}));
  EXPECT_THROW(window(s, 2.0, 1.0), InputError);
  EXPECT_THROW(window(s, 3.0, 4.0), InputError);
  EXPECT_THROW(window(s, -1.0, 1.0), InputError);
  EXPECT_EQ(window(s, 1.5, 99.0).intervals.size(), 31u);  // clipped at the trace end
}

TEST(Summarise, HandMadeSeries) {
  Series s;
  s.intervals = {{3, 3, 0}, {2, 0, 1}, {2, 1, 1}};
  const auto sum = summarise(s);
  EXPECT_EQ(sum.intervals, 3);
  EXPECT_EQ(sum.n_min, 2);
  EXPECT_EQ(sum.n_max, 3);
  EXPECT_DOUBLE_EQ(sum.n_mean, 7.0 / 3);
  EXPECT_EQ(sum.allocations, 4);
  EXPECT_EQ(sum.preemptions, 2);
  EXPECT_EQ(sum.intervals_with_preemption, 2);
  EXPECT_EQ(levels(s.intervals), (std::vector<int>{3, 2, 2}));
}

// The figures published with the trace (../shared/traces/README.md).
TEST(PublishedTrace, MatchesTheReadmeFigures) {
  PARCAE_REQUIRE_SHARED("traces/p3trace.csv");
  const auto s = discretise(read_trace_file(testing::shared_file("traces/p3trace.csv").string()));
  const auto sum = summarise(s);
  EXPECT_EQ(sum.intervals, 683);
  EXPECT_EQ(sum.n_min, 10);
  EXPECT_EQ(sum.n_max, 32);
  EXPECT_NEAR(sum.n_mean, 24.0, 0.05);
  EXPECT_EQ(sum.allocations, 177);
  EXPECT_EQ(sum.preemptions, 167);
  EXPECT_EQ(sum.intervals_with_preemption, 79);
  EXPECT_EQ(s.intervals.front().n, 18);
}

TEST(PublishedTrace, MatchesEachSegmentRow) {
  PARCAE_REQUIRE_SHARED("traces/p3trace.csv");
  const auto s = discretise(read_trace_file(testing::shared_file("traces/p3trace.csv").string()));
  // The table of ../shared/traces/README.md, row by row.
  struct Row { const char* name; double a, b; int n_min, n_max; double n_mean; long preempt, alloc; };
  const Row rows[] = {{"hl", 1.5, 2.5, 23, 32, 29.6, 11, 8},
                      {"hh", 5.5, 6.5, 20, 32, 27.5, 19, 16},
                      {"lh", 8.0, 9.0, 11, 24, 16.8, 18, 17},
                      {"ll", 10.0, 11.0, 14, 18, 14.6, 4, 0}};
  ASSERT_EQ(paper_segments().size(), std::size(rows));
  for (std::size_t i = 0; i < std::size(rows); ++i) {
    const Row& r = rows[i];
    const Segment& seg = paper_segments()[i];
    SCOPED_TRACE(r.name);
    EXPECT_EQ(seg.name, r.name);
    EXPECT_EQ(seg.start_hour, r.a);
    EXPECT_EQ(seg.end_hour, r.b);
    EXPECT_EQ(paper_segment(r.name)->start_hour, r.a);
    const auto sum = summarise(window(s, seg.start_hour, seg.end_hour));
    EXPECT_EQ(sum.intervals, 60);
    EXPECT_EQ(sum.n_min, r.n_min);
    EXPECT_EQ(sum.n_max, r.n_max);
    EXPECT_NEAR(sum.n_mean, r.n_mean, 0.05);
    EXPECT_EQ(sum.preemptions, r.preempt);
    EXPECT_EQ(sum.allocations, r.alloc);
  }
  EXPECT_FALSE(paper_segment("full"));
}

}  // namespace
}  // namespace parcae::trace
