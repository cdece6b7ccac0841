// Batches as pure functions of (seed, step, sample index); see batches.hpp.
#include "parcae/data/batches.hpp"
#include "parcae/error.hpp"

namespace parcae::data {
namespace {

// A strong 64-bit mix (splitmix64's finaliser): consecutive indices land far apart.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void require_room(const TokenData& data, int T) {
  if (T < 1 || data.tokens.size() < static_cast<std::size_t>(T) + 1) {
    throw InputError(data.source + ": " + std::to_string(data.tokens.size()) +
                     " tokens cannot fill one sample of context " + std::to_string(T) +
                     " (needs " + std::to_string(T + 1) + ")");
  }
}

void copy_sample(const TokenData& data, std::size_t offset, int row, int T, std::span<int> inputs,
                 std::span<int> targets) {
  for (int t = 0; t < T; ++t) {
    inputs[static_cast<std::size_t>(row) * T + t] = data.tokens[offset + t];
    targets[static_cast<std::size_t>(row) * T + t] = data.tokens[offset + t + 1];
  }
}

}  // namespace

std::size_t sample_offset(std::uint64_t seed, std::uint64_t step, std::uint64_t sample,
                          std::size_t tokens, int T) {
  const std::uint64_t starts = tokens - static_cast<std::size_t>(T);  // offsets 0..tokens-T-1
  return mix(mix(mix(seed) ^ step) ^ sample) % starts;
}

void fill_batch(const TokenData& data, std::uint64_t seed, std::uint64_t step,
                std::uint64_t first_sample, int count, int T, std::span<int> inputs,
                std::span<int> targets) {
  require_room(data, T);
  for (int b = 0; b < count; ++b) {
    copy_sample(data, sample_offset(seed, step, first_sample + b, data.tokens.size(), T), b, T,
                inputs, targets);
  }
}

void fill_validation_batch(const TokenData& data, int first, int count, int total, int T,
                           std::span<int> inputs, std::span<int> targets) {
  require_room(data, T);
  const std::size_t starts = data.tokens.size() - static_cast<std::size_t>(T);
  for (int b = 0; b < count; ++b) {
    const std::size_t offset = static_cast<std::size_t>(first + b) * starts / total;
    copy_sample(data, offset, b, T, inputs, targets);
  }
}

}  // namespace parcae::data
