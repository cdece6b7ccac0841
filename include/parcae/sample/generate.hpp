#pragma once
// The generation loop: a prompt, then `count` sampled tokens, through a
// compute::Decoder (KV cache: every token, prompt or sampled, is fed once).
// When the model's context of T positions is full, the cache restarts from
// the last T/2 tokens (fed again, once per T/2 new tokens), so generation may
// run past T at the cost of one re-fill now and then; positions are absolute
// in GPT-2, so the window cannot simply slide.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "parcae/compute/decoder.hpp"
#include "parcae/sample/sampler.hpp"

namespace parcae::sample {

struct GenerationOptions {
  SamplingOptions sampling;
  int tokens = 256;         // how many to sample
  std::uint64_t seed = 0;   // the sampler's generator starts from it
};

// Feeds `prompt` (at least one token), then samples `options.tokens` tokens,
// calling `on_token` with each as soon as it is drawn (may be empty). Returns
// the sampled tokens. The same decoder state, prompt and options give the same
// tokens.
std::vector<int> generate(compute::Decoder& decoder, std::span<const int> prompt,
                          const GenerationOptions& options,
                          const std::function<void(int)>& on_token = {});

}  // namespace parcae::sample
