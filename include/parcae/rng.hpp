#pragma once
// A small, portable random-number generator: xoshiro256** seeded by splitmix64.
// The standard <random> distributions are implementation-defined, so the same
// seed could give other numbers with another standard library; everything that
// must be a pure function of a seed (traces, sampled preemptions, init, data
// order) draws from this instead.
#include <cmath>
#include <cstdint>
#include <numbers>

namespace parcae {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : state_) word = splitmix64(seed);
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n), n > 0 (Lemire's nearly-divisionless method
  // would be faster; the rejection keeps it exact and simple).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x;
    do x = next_u64();
    while (x >= limit);
    return x % n;
  }

  // Standard normal by Box-Muller (one of the pair is dropped: simpler state).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

  // Poisson by inversion of the CDF: exact, and fast for the small means
  // (< 30) that availability models use.
  int poisson(double mean) {
    if (mean <= 0) return 0;
    const double u = uniform();
    double p = std::exp(-mean), cdf = p;
    int k = 0;
    while (u > cdf && k < 10000) {
      ++k;
      p *= mean / k;
      cdf += p;
    }
    return k;
  }

  // Number of trials up to and including the first success, mean 1/p' where
  // the mean asked for is `mean` >= 1.
  int geometric_at_least_one(double mean) {
    if (mean <= 1.0) return 1;
    const double p = 1.0 / mean;
    return 1 + static_cast<int>(std::floor(std::log(1.0 - uniform()) / std::log(1.0 - p)));
  }

 private:
  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t state_[4];
};

}  // namespace parcae
