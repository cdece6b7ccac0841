#pragma once
// Batches as a pure function of (seed, step, global sample index): sample i of
// optimizer step s starts at an offset drawn from a hash of (seed, s, i). Any
// number of data-parallel replicas can therefore split the same global batch by
// sample index and see exactly the samples a single worker would.
#include <cstdint>
#include <span>

#include "parcae/data/token_file.hpp"

namespace parcae::data {

// Where sample `sample` of step `step` starts in a stream of `tokens` tokens,
// for a context of T (each sample reads T + 1 tokens: inputs and shifted targets).
std::size_t sample_offset(std::uint64_t seed, std::uint64_t step, std::uint64_t sample,
                          std::size_t tokens, int T);

// Fills inputs[b*T + t] and targets[b*T + t] for the samples
// [first_sample, first_sample + count) of `step`: B = count rows of T tokens.
// Throws InputError when the data holds fewer than T + 1 tokens.
void fill_batch(const TokenData& data, std::uint64_t seed, std::uint64_t step,
                std::uint64_t first_sample, int count, int T, std::span<int> inputs,
                std::span<int> targets);

// Validation: `count` fixed, evenly spaced windows (no randomness), the same for
// every step, so validation losses are comparable over a run.
void fill_validation_batch(const TokenData& data, int first, int count, int total, int T,
                           std::span<int> inputs, std::span<int> targets);

}  // namespace parcae::data
