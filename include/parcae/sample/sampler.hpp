#pragma once
// Choosing the next token from the model's logits: temperature and top-k
// sampling, drawn from the portable generator (rng.hpp), so generated text is
// a pure function of (checkpoint, prompt, options, seed) on any machine.
#include <cstdint>
#include <span>

#include "parcae/rng.hpp"

namespace parcae::sample {

struct SamplingOptions {
  // Softmax temperature: logits / T. 0 means greedy (always the argmax).
  double temperature = 1.0;
  // Only the k likeliest tokens can be drawn; 0 means all of them, 1 is greedy.
  int top_k = 0;
};

// The argmax of `logits` (the lowest index among equal maxima).
int argmax(std::span<const float> logits);

// One token drawn from softmax(logits / temperature) restricted to the top_k
// largest logits (ties broken by the lower index), with one uniform draw from
// `rng`. Greedy choices (temperature 0 or top_k 1) draw nothing. Throws
// std::invalid_argument for empty or non-finite logits (a broken model).
int sample_token(std::span<const float> logits, const SamplingOptions& options, Rng& rng);

}  // namespace parcae::sample
