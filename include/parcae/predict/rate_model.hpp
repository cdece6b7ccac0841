#pragma once
// A distribution over what the next intervals bring, for planning on more than
// a point forecast: each interval, some of the alive instances are preempted
// and some new ones are allocated.
//  - Preemptions out of n alive: beta-binomial(n, a, b), i.e. every instance
//    goes with probability p, but p itself varies from interval to interval
//    (spot capacity is reclaimed in groups, so preemptions cluster: on the
//    published trace 167 preemptions fall in only 79 intervals). The mean p
//    is the maximum-likelihood ratio (preempted / alive-at-start) and the
//    clustering (intra-interval correlation rho) is fitted by moments; rho = 0
//    is the plain binomial.
//  - Allocations: the empirical distribution of n_in over the same window
//    (add-one smoothed on 0..largest seen + 1), truncated to the free slots.
// The model is pure: it is learnt from a span of intervals and queried by value.
#include <span>
#include <vector>

#include "parcae/trace/series.hpp"

namespace parcae::predict {

struct RateModelOptions {
  int window = 120;  // intervals learnt from (the most recent ones); <= 0: all
  int cap = 0;       // most instances; 0 = the largest N seen
};

struct RateModel {
  int cap = 0;
  double preempt_probability = 0.0;  // mean per alive instance per interval
  double preempt_correlation = 0.0;  // rho in [0, 1): 0 = independent preemptions
  std::vector<double> allocation_pmf;  // P(n_in = k) before truncation to free slots
  int intervals = 0;                   // intervals it was learnt from
};

RateModel fit_rate_model(std::span<const trace::Interval> history, const RateModelOptions& options = {});

// P(n_out = k) for k = 0..alive.
std::vector<double> preemption_pmf(const RateModel& model, int alive);

// P(n_in = k) for k = 0..free_slots (the tail beyond the free slots lands on free_slots).
std::vector<double> allocation_pmf(const RateModel& model, int free_slots);

// P(N_next = m) for m = 0..cap, from N = n: preemptions first, then
// allocations into the slots that are free after them.
std::vector<double> next_level_pmf(const RateModel& model, int n);

// The distribution of N at steps 1..horizon from origin_n (each over 0..cap).
std::vector<std::vector<double>> level_distribution(const RateModel& model, int origin_n, int horizon);

}  // namespace parcae::predict
