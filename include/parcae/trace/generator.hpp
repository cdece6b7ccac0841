#pragma once
// A seeded synthetic availability trace: a birth-death process with bursts.
// Each interval, allocation events arrive as Poisson(alloc_rate * free slots)
// and preemption events as Poisson(preempt_hazard * alive); each event moves a
// geometric batch of instances (mean alloc_batch_mean / preempt_batch_mean),
// because spot capacity comes and goes in groups. Every parameter can be fitted
// to a real trace by fit_generator (maximum likelihood of the event rates,
// method of moments for the batch sizes). A discretised trace shows counts, not
// events, so the fit takes each interval with any allocation (preemption) as
// one event: exact while events are rarer than one per interval, as on p3trace.
#include <cstdint>

#include "parcae/trace/series.hpp"
#include "parcae/trace/trace.hpp"

namespace parcae::trace {

struct GeneratorParams {
  int capacity = 32;          // most instances the cluster may hold
  int initial = 18;           // instances allocated at t = 0
  int intervals = 683;        // length of the trace
  double interval_s = 60.0;
  // Defaults: fit_generator on the published p3trace.csv (60 s intervals).
  double alloc_rate = 0.0153;        // allocation events per free slot per interval
  double alloc_batch_mean = 1.92;    // instances per allocation event (>= 1)
  double preempt_hazard = 0.00482;   // preemption events per alive instance per interval
  double preempt_batch_mean = 2.11;  // instances per preemption event (>= 1)
  std::uint64_t seed = 1;
};

// Throws InputError on an impossible parameter (capacity < 1, rates < 0, ...)
// or one that would generate more than kMaxGeneratedEvents events (expected).
inline constexpr long kMaxGeneratedEvents = 20'000'000;
void validate(const GeneratorParams& params);

Trace generate_trace(const GeneratorParams& params);

// Fits rates and batch means to a discretised trace; capacity = max N seen.
GeneratorParams fit_generator(const Series& series);

}  // namespace parcae::trace
