// Temperature and top-k sampling (see sampler.hpp).
#include "parcae/sample/sampler.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace parcae::sample {

int argmax(std::span<const float> logits) {
  return static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

int sample_token(std::span<const float> logits, const SamplingOptions& options, Rng& rng) {
  if (logits.empty()) throw std::invalid_argument("sample_token: no logits");
  for (std::size_t i = 0; i < logits.size(); ++i)
    if (!std::isfinite(logits[i]))
      throw std::invalid_argument("the model's logit of token " + std::to_string(i) + " is " +
                                  std::to_string(logits[i]) + ": its parameters are broken");
  if (options.temperature == 0.0 || options.top_k == 1) return argmax(logits);

  // The candidates, likeliest first; a strict order (value, then index) makes
  // the choice independent of the sort's implementation.
  const int V = static_cast<int>(logits.size());
  const int k = options.top_k <= 0 ? V : std::min(options.top_k, V);
  std::vector<int> order(static_cast<std::size_t>(V));
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) {
    return logits[a] != logits[b] ? logits[a] > logits[b] : a < b;
  });
  // Weights exp((l - max) / T) in double: the largest is 1, none overflows.
  std::vector<double> weight(static_cast<std::size_t>(k));
  double total = 0.0;
  for (int i = 0; i < k; ++i) {
    weight[i] = std::exp((double{logits[order[i]]} - logits[order[0]]) / options.temperature);
    total += weight[i];
  }
  const double u = rng.uniform() * total;
  double cumulative = 0.0;
  for (int i = 0; i < k; ++i) {
    cumulative += weight[i];
    if (u < cumulative) return order[i];
  }
  return order[k - 1];  // u within rounding of the total
}

}  // namespace parcae::sample
