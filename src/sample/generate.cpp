// The generation loop (see generate.hpp).
#include "parcae/sample/generate.hpp"

#include <algorithm>
#include <stdexcept>

namespace parcae::sample {

namespace {

// Feeds `tokens` from position 0 (the cache starts over); the logits after the last one.
std::span<const float> refill(compute::Decoder& decoder, std::span<const int> tokens) {
  decoder.reset();
  std::span<const float> logits;
  for (const int t : tokens) logits = decoder.step(t);
  return logits;
}

}  // namespace

std::vector<int> generate(compute::Decoder& decoder, std::span<const int> prompt,
                          const GenerationOptions& options,
                          const std::function<void(int)>& on_token) {
  if (prompt.empty()) throw std::invalid_argument("generate: an empty prompt");
  const int window = decoder.capacity();
  const int keep = std::max(1, window / 2);
  // History of every token so far, for a re-fill; a prompt longer than the
  // context keeps only its last `window` tokens (the earlier ones could not be attended to).
  std::vector<int> history(prompt.begin(), prompt.end());
  if (static_cast<int>(history.size()) > window)
    history.erase(history.begin(), history.end() - window);
  std::span<const float> logits = refill(decoder, history);

  Rng rng(options.seed);
  std::vector<int> sampled;
  sampled.reserve(static_cast<std::size_t>(std::max(0, options.tokens)));
  for (int i = 0; i < options.tokens; ++i) {
    const int next = sample_token(logits, options.sampling, rng);
    sampled.push_back(next);
    history.push_back(next);
    if (on_token) on_token(next);
    if (i + 1 == options.tokens) break;  // the last token needs no logits after it
    if (decoder.position() == window) {
      logits = refill(decoder, std::span<const int>(history).last(static_cast<std::size_t>(keep)));
    } else {
      logits = decoder.step(next);
    }
  }
  return sampled;
}

}  // namespace parcae::sample
