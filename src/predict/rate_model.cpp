// The preemption / allocation distribution; see include/parcae/predict/rate_model.hpp.
#include "parcae/predict/rate_model.hpp"

#include <algorithm>
#include <cmath>

namespace parcae::predict {
namespace {

// A preempted share this small is indistinguishable from independence.
constexpr double kIndependent = 1e-9;

double log_choose(int n, int k) {
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
}

double log_beta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

std::vector<double> binomial_pmf(int n, double p) {
  std::vector<double> pmf(n + 1, 0.0);
  if (p <= 0.0) {
    pmf[0] = 1.0;
    return pmf;
  }
  if (p >= 1.0) {
    pmf[n] = 1.0;
    return pmf;
  }
  for (int k = 0; k <= n; ++k)
    pmf[k] = std::exp(log_choose(n, k) + k * std::log(p) + (n - k) * std::log1p(-p));
  return pmf;
}

std::vector<double> beta_binomial_pmf(int n, double a, double b) {
  std::vector<double> pmf(n + 1);
  for (int k = 0; k <= n; ++k) pmf[k] = std::exp(log_choose(n, k) + log_beta(k + a, n - k + b) - log_beta(a, b));
  return pmf;
}

// Moment estimate of the intra-interval correlation: the variance of the
// preempted share x_k = out_k / n_k beyond binomial noise,
//   Var x = p(1-p) [rho + (1-rho) E(1/n)].
double fit_correlation(std::span<const trace::Interval> window, int start_n, double p) {
  double sum_sq = 0.0, inv_n = 0.0;
  int count = 0;
  int alive = start_n;
  for (const auto& iv : window) {
    if (alive > 0) {
      const double x = static_cast<double>(iv.n_out) / alive;
      sum_sq += (x - p) * (x - p);
      inv_n += 1.0 / alive;
      ++count;
    }
    alive = iv.n;
  }
  const double pq = p * (1.0 - p);
  if (count < 2 || pq <= 0.0) return 0.0;
  const double var = sum_sq / (count - 1);
  const double mean_inv_n = inv_n / count;
  if (mean_inv_n >= 1.0) return 0.0;
  return std::clamp((var / pq - mean_inv_n) / (1.0 - mean_inv_n), 0.0, 0.99);
}

}  // namespace

RateModel fit_rate_model(std::span<const trace::Interval> history, const RateModelOptions& options) {
  RateModel model;
  const std::size_t take = options.window > 0 ? std::min<std::size_t>(history.size(), options.window) : history.size();
  const std::size_t first = history.size() - take;
  const auto window = history.subspan(first, take);
  const int start_n = first == 0 ? 0 : history[first - 1].n;
  model.intervals = static_cast<int>(take);
  model.cap = options.cap;
  if (model.cap <= 0)
    for (const auto& iv : history) model.cap = std::max(model.cap, iv.n);

  // Preemption probability: preempted / exposed, with half a preemption and
  // one exposure of prior so that a quiet window does not promise p = 0.
  double preempted = 0.0, exposed = 0.0;
  int alive = start_n;
  int most_in = 0;
  for (const auto& iv : window) {
    preempted += iv.n_out;
    exposed += alive;
    alive = iv.n;
    most_in = std::max(most_in, iv.n_in);
  }
  model.preempt_probability = (preempted + 0.5) / (exposed + 1.0);
  model.preempt_correlation = fit_correlation(window, start_n, model.preempt_probability);

  // Allocations: counts of n_in plus one on each of 0..most_in + 1.
  std::vector<double> counts(most_in + 2, 1.0);
  for (const auto& iv : window) counts[iv.n_in] += 1.0;
  double total = 0.0;
  for (double c : counts) total += c;
  for (double& c : counts) c /= total;
  model.allocation_pmf = std::move(counts);
  return model;
}

std::vector<double> preemption_pmf(const RateModel& model, int alive) {
  alive = std::max(alive, 0);
  const double p = model.preempt_probability;
  const double rho = model.preempt_correlation;
  if (rho <= kIndependent || p <= 0.0 || p >= 1.0) return binomial_pmf(alive, p);
  // Beta(a, b) mixing with mean p and correlation rho = 1 / (a + b + 1).
  const double strength = (1.0 - rho) / rho;
  return beta_binomial_pmf(alive, p * strength, (1.0 - p) * strength);
}

std::vector<double> allocation_pmf(const RateModel& model, int free_slots) {
  free_slots = std::max(free_slots, 0);
  std::vector<double> pmf(free_slots + 1, 0.0);
  if (model.allocation_pmf.empty()) {
    pmf[0] = 1.0;
    return pmf;
  }
  for (std::size_t k = 0; k < model.allocation_pmf.size(); ++k)
    pmf[std::min<std::size_t>(k, free_slots)] += model.allocation_pmf[k];
  return pmf;
}

std::vector<double> next_level_pmf(const RateModel& model, int n) {
  const int cap = std::max(model.cap, n);
  std::vector<double> next(cap + 1, 0.0);
  const auto out = preemption_pmf(model, n);
  for (int k = 0; k <= n; ++k) {
    const int survivors = n - k;
    const auto in = allocation_pmf(model, cap - survivors);
    for (std::size_t j = 0; j < in.size(); ++j) next[survivors + j] += out[k] * in[j];
  }
  return next;
}

std::vector<std::vector<double>> level_distribution(const RateModel& model, int origin_n, int horizon) {
  const int cap = std::max(model.cap, origin_n);
  std::vector<std::vector<double>> transition(cap + 1);
  for (int n = 0; n <= cap; ++n) {
    transition[n] = next_level_pmf(model, n);
    transition[n].resize(cap + 1, 0.0);
  }
  std::vector<std::vector<double>> steps;
  std::vector<double> current(cap + 1, 0.0);
  current[std::max(origin_n, 0)] = 1.0;
  for (int h = 0; h < horizon; ++h) {
    std::vector<double> next(cap + 1, 0.0);
    for (int n = 0; n <= cap; ++n)
      if (current[n] > 0.0)
        for (int m = 0; m <= cap; ++m) next[m] += current[n] * transition[n][m];
    steps.push_back(next);
    current = std::move(next);
  }
  return steps;
}

}  // namespace parcae::predict
