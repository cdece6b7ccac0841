#include <sstream>

#include <gtest/gtest.h>

#include "parcae/error.hpp"
#include "parcae/trace/generator.hpp"
#include "test_support.hpp"

namespace parcae::trace {
namespace {

std::string text_of(const Trace& t) {
  std::ostringstream out;
  write_trace(out, t);
  return out.str();
}

TEST(Generator, SameSeedSameTrace) {
  GeneratorParams p;
  p.seed = 7;
  EXPECT_EQ(text_of(generate_trace(p)), text_of(generate_trace(p)));
  GeneratorParams q = p;
  q.seed = 8;
  EXPECT_NE(text_of(generate_trace(p)), text_of(generate_trace(q)));
}

// Whatever it generates, the parser accepts it and the cluster stays in bounds.
TEST(Generator, OutputIsAValidTraceWithinCapacity) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    GeneratorParams p;
    p.seed = seed;
    p.capacity = 12;
    p.initial = 5;
    p.alloc_rate = 0.2;
    p.preempt_hazard = 0.05;
    std::istringstream in(text_of(generate_trace(p)));
    const auto s = discretise(parse_trace(in, "gen"));
    ASSERT_LE(s.intervals.size(), static_cast<std::size_t>(p.intervals));
    EXPECT_EQ(s.intervals.front().n, 5);
    for (const auto& i : s.intervals) {
      ASSERT_GE(i.n, 0);
      ASSERT_LE(i.n, p.capacity);
    }
  }
}

TEST(Generator, FitRecoversTheParameters) {
  GeneratorParams p;
  p.intervals = 20000;
  p.seed = 3;
  const auto fitted = fit_generator(discretise(generate_trace(p)));
  EXPECT_EQ(fitted.capacity, p.capacity);
  EXPECT_EQ(fitted.initial, p.initial);
  // With one event per interval at most counted, rates are slightly under;
  // at these rates (< 0.3 events per interval) the bias is a few percent.
  EXPECT_NEAR(fitted.alloc_rate, p.alloc_rate, 0.15 * p.alloc_rate);
  EXPECT_NEAR(fitted.preempt_hazard, p.preempt_hazard, 0.15 * p.preempt_hazard);
  EXPECT_NEAR(fitted.alloc_batch_mean, p.alloc_batch_mean, 0.25);
  EXPECT_NEAR(fitted.preempt_batch_mean, p.preempt_batch_mean, 0.25);
}

TEST(Generator, DefaultsAreTheFitOfThePublishedTrace) {
  PARCAE_REQUIRE_SHARED("traces/p3trace.csv");
  const auto fitted =
      fit_generator(discretise(read_trace_file(testing::shared_file("traces/p3trace.csv").string())));
  const GeneratorParams d;
  EXPECT_EQ(fitted.capacity, d.capacity);
  EXPECT_EQ(fitted.initial, d.initial);
  EXPECT_NEAR(fitted.alloc_rate, d.alloc_rate, 0.0001);
  EXPECT_NEAR(fitted.preempt_hazard, d.preempt_hazard, 0.00001);
  EXPECT_NEAR(fitted.alloc_batch_mean, d.alloc_batch_mean, 0.005);
  EXPECT_NEAR(fitted.preempt_batch_mean, d.preempt_batch_mean, 0.005);
}

TEST(Generator, RejectsImpossibleParameters) {
  GeneratorParams p;
  p.capacity = 0;
  EXPECT_THROW(generate_trace(p), InputError);
  p = {};
  p.initial = 40;
  EXPECT_THROW(generate_trace(p), InputError);
  p = {};
  p.preempt_hazard = -1;
  EXPECT_THROW(generate_trace(p), InputError);
  p = {};
  p.alloc_batch_mean = 0.5;
  EXPECT_THROW(generate_trace(p), InputError);
}

}  // namespace
}  // namespace parcae::trace
