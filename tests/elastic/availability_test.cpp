// Trace counts onto worker ranks: scaling keeps every event and the series
// consistent; the rank draws are seeded and stay within the alive set.
#include "parcae/elastic/availability.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "parcae/error.hpp"
#include "parcae/trace/trace.hpp"

namespace parcae::elastic {
namespace {

trace::Series series_of(int initial, std::vector<trace::Interval> intervals) {
  trace::Series s;
  s.intervals = std::move(intervals);
  (void)initial;
  return s;
}

void expect_consistent(const trace::Series& s, int workers) {
  int level = initial_level(s);
  for (const auto& iv : s.intervals) {
    ASSERT_LE(iv.n_out, level);
    level += iv.n_in - iv.n_out;
    ASSERT_EQ(iv.n, level);
    ASSERT_GE(level, 0);
    ASSERT_LE(level, workers);
  }
}

TEST(FitToWorkers, LeavesASeriesThatFitsAlone) {
  const auto s = series_of(0, {{4, 4, 0}, {3, 0, 1}, {5, 2, 0}});
  EXPECT_EQ(fit_to_workers(s, 5).intervals, s.intervals);
}

TEST(FitToWorkers, ScalesLevelsAndKeepsEveryEvent) {
  // 32 instances onto 8 ranks: x 1/4.
  const auto s = series_of(0, {{32, 32, 0}, {31, 0, 1}, {29, 1, 3}, {30, 1, 0}, {16, 0, 14}});
  const auto f = fit_to_workers(s, 8);
  expect_consistent(f, 8);
  EXPECT_EQ(f.intervals[0].n, 8);
  for (std::size_t k = 0; k < s.intervals.size(); ++k) {
    EXPECT_EQ(f.intervals[k].n_out > 0, s.intervals[k].n_out > 0) << k;
    EXPECT_EQ(f.intervals[k].n_in > 0, s.intervals[k].n_in > 0) << k;
  }
  EXPECT_EQ(f.intervals[4].n, 4);  // 16 of 32 -> 4 of 8
}

TEST(FitToWorkers, PublishedTraceOnEightRanks) {
  const std::string path = std::string(PARCAE_SHARED_DIR) + "/traces/p3trace.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found";
  const auto s = trace::discretise(trace::read_trace_file(path));
  const auto f = fit_to_workers(s, 8);
  expect_consistent(f, 8);
  // Every event survives the scaling but where the bounds forbid it: an
  // allocation while all 8 ranks are alive, a preemption while none is.
  int level = initial_level(f), kept = 0, with_events = 0;
  for (std::size_t k = 0; k < s.intervals.size(); ++k) {
    const auto &raw = s.intervals[k], &fit = f.intervals[k];
    if (raw.n_out > 0 && fit.n_out == 0) {
      EXPECT_EQ(level, 0) << "interval " << k;
    }
    if (raw.n_in > 0 && fit.n_in == 0) {
      EXPECT_EQ(level - fit.n_out, 8) << "interval " << k;
    }
    with_events += raw.n_in > 0 || raw.n_out > 0;
    kept += fit.n_in > 0 || fit.n_out > 0;
    level = fit.n;
  }
  EXPECT_GT(kept, with_events * 8 / 10);
}

TEST(FitToWorkers, RejectsMoreRemovalsThanAlive) {
  const auto s = series_of(0, {{2, 2, 0}, {-1, 0, 3}});
  EXPECT_THROW(fit_to_workers(s, 4), InputError);
}

TEST(RankPool, PreemptsAliveRanksAndRevivesTheLowestDead) {
  RankPool pool(6, 4, 7);
  const auto e = pool.apply(2, 0);
  ASSERT_EQ(e.preempted.size(), 2u);
  for (int r : e.preempted) {
    EXPECT_GE(r, 1);
    EXPECT_LE(r, 4);
    EXPECT_FALSE(pool.alive(r));
  }
  EXPECT_EQ(pool.alive_count(), 2);
  const auto g = pool.apply(0, 3);
  // The three lowest dead ranks: the two preempted ones, then rank 5.
  std::vector<int> expected = e.preempted;
  expected.push_back(5);
  EXPECT_EQ(g.allocated, expected);
  EXPECT_FALSE(pool.alive(6));
  EXPECT_EQ(pool.alive_count(), 5);
}

TEST(RankPool, NewInstancesAvoidRanksPreemptedInTheSameInterval) {
  RankPool pool(4, 3, 1);
  const auto e = pool.apply(1, 1);
  EXPECT_EQ(e.allocated, std::vector<int>{4});
}

TEST(RankPool, SameSeedSameDraws) {
  RankPool a(16, 16, 42), b(16, 16, 42), c(16, 16, 43);
  bool differs = false;
  for (int k = 0; k < 6; ++k) {
    const auto ea = a.apply(2, 0), eb = b.apply(2, 0), ec = c.apply(2, 0);
    EXPECT_EQ(ea, eb);
    differs |= !(ea == ec);
    a.apply(0, 2), b.apply(0, 2), c.apply(0, 2);
  }
  EXPECT_TRUE(differs);
}

TEST(RankPool, PreemptionIsUniformOverAliveRanks) {
  RankPool pool(8, 8, 3);
  std::vector<int> hits(9, 0);
  const int trials = 8000;
  for (int t = 0; t < trials; ++t) {
    const auto e = pool.apply(1, 0);
    ++hits[e.preempted.at(0)];
    pool.apply(0, 1);
  }
  for (int r = 1; r <= 8; ++r) EXPECT_NEAR(hits[r], trials / 8, 5 * std::sqrt(trials / 8.0)) << r;
}

TEST(RankPool, RejectsImpossibleCounts) {
  RankPool pool(4, 2, 1);
  EXPECT_THROW(pool.apply(3, 0), InputError);
  EXPECT_THROW(pool.apply(0, 3), InputError);
}

// Replays the source's events on an alive set and checks them against its series.
void expect_events_match_series(const AvailabilitySource& source) {
  std::vector<bool> alive(source.workers() + 1, false);
  for (int r : source.initial_ranks()) alive[r] = true;
  int level = static_cast<int>(source.initial_ranks().size());
  ASSERT_EQ(level, initial_level(source.series()));
  for (int k = 0; k < source.intervals(); ++k) {
    const auto& e = source.event(k);
    for (int r : e.preempted) {
      ASSERT_TRUE(alive[r]) << "interval " << k << " preempts dead rank " << r;
      alive[r] = false;
    }
    for (int r : e.allocated) {
      ASSERT_FALSE(alive[r]) << "interval " << k << " allocates live rank " << r;
      alive[r] = true;
    }
    level += static_cast<int>(e.allocated.size()) - static_cast<int>(e.preempted.size());
    const auto& iv = source.series().intervals[k];
    ASSERT_EQ(static_cast<int>(e.preempted.size()), iv.n_out) << k;
    ASSERT_EQ(static_cast<int>(e.allocated.size()), iv.n_in) << k;
    ASSERT_EQ(level, iv.n) << k;
  }
}

TEST(AvailabilitySource, SyntheticLargerThanTheJobIsReplayedByCounts) {
  const auto source = AvailabilitySource::synthetic(trace::GeneratorParams{}, 8, 5);
  EXPECT_FALSE(source.by_identity());
  expect_consistent(source.series(), 8);
  expect_events_match_series(source);
}

TEST(AvailabilitySource, SyntheticThatFitsIsReplayedByIdentity) {
  trace::GeneratorParams p;
  p.capacity = 6;
  p.initial = 4;
  p.intervals = 200;
  p.preempt_hazard = 0.05;
  p.alloc_rate = 0.1;
  const auto source = AvailabilitySource::synthetic(p, 6, 5);
  EXPECT_TRUE(source.by_identity());
  expect_events_match_series(source);
}

TEST(AvailabilitySource, ScriptedTraceDecidesWhichRankGoes) {
  // 60 s intervals. a-d arrive first (ranks 1-4); c goes at 1 min; e arrives
  // at 2 min and takes rank 3; f comes and goes within interval 3.
  std::istringstream csv(
      "0,add,a\n0,add,b\n0,add,c\n0,add,d\n61000,remove,c\n125000,add,e\n"
      "190000,add,f\n200000,remove,f\n250000,remove,a\n250000,remove,b\n");
  const auto trace = trace::parse_trace(csv, "scripted");
  const auto source = AvailabilitySource::replay(trace, 60.0, 5, 1);
  ASSERT_TRUE(source.by_identity());
  ASSERT_EQ(source.intervals(), 5);
  EXPECT_EQ(source.event(0).allocated, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(source.event(1).preempted, std::vector<int>{3});
  EXPECT_EQ(source.event(2).allocated, std::vector<int>{3});
  EXPECT_EQ(source.event(3), RankEvent{});
  EXPECT_EQ(source.event(4).preempted, (std::vector<int>{1, 2}));
  expect_events_match_series(source);
  // A window from 2 min: ranks 1, 2 and 4 are alive at its start.
  const auto window = AvailabilitySource::replay(trace, 60.0, 5, 1, 2);
  EXPECT_EQ(window.initial_ranks(), (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(window.event(0).allocated, std::vector<int>{3});
  expect_events_match_series(window);
}

TEST(AvailabilitySource, ATraceLargerThanTheJobUsesCounts) {
  std::istringstream csv("0,add,a\n0,add,b\n0,add,c\n60000,remove,a\n");
  const auto source = AvailabilitySource::replay(trace::parse_trace(csv, "t"), 60.0, 2, 1);
  EXPECT_FALSE(source.by_identity());
  expect_events_match_series(source);
}

}  // namespace
}  // namespace parcae::elastic
