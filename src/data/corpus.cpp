// Text sources for training: byte-level encoding and the synthetic corpus.
#include <algorithm>

#include "parcae/data/corpus.hpp"
#include "parcae/error.hpp"
#include "parcae/rng.hpp"

namespace parcae::data {

TokenData encode_bytes(const std::string& text, const std::string& source) {
  TokenData data{source, 256, {}};
  data.tokens.reserve(text.size());
  for (unsigned char c : text) data.tokens.push_back(c);
  return data;
}

Split split_tail(const TokenData& all, double val_fraction) {
  if (!(val_fraction >= 0 && val_fraction < 1)) {
    throw InputError("--val-fraction must be in [0, 1)");
  }
  const auto n_val = static_cast<std::size_t>(all.tokens.size() * val_fraction);
  const auto cut = all.tokens.begin() + static_cast<std::ptrdiff_t>(all.tokens.size() - n_val);
  Split split{{all.source, all.vocab, {all.tokens.begin(), cut}},
              {all.source + " (validation)", all.vocab, {cut, all.tokens.end()}}};
  return split;
}

TokenData synthetic_arithmetic(std::uint64_t seed, std::size_t bytes) {
  Rng rng(seed);
  std::string text;
  text.reserve(bytes + 32);
  while (text.size() < bytes) {
    // Operands of 1-3 digits keep every line shorter than the tiny model's context.
    const auto a = static_cast<long>(rng.below(1000));
    const auto b = static_cast<long>(rng.below(1000));
    if (rng.below(2) == 0) {
      text += std::to_string(a) + "+" + std::to_string(b) + "=" + std::to_string(a + b) + "\n";
    } else {
      const long hi = std::max(a, b), lo = std::min(a, b);
      text += std::to_string(hi) + "-" + std::to_string(lo) + "=" + std::to_string(hi - lo) + "\n";
    }
  }
  text.resize(bytes);
  return encode_bytes(text, "<synthetic arithmetic seed " + std::to_string(seed) + ">");
}

}  // namespace parcae::data
