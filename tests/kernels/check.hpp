#pragma once
// Test helpers for numerical code: seeded random tensors, norm-wise relative
// error, and a central finite-difference check of a gradient.
#include <cmath>
#include <functional>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "parcae/rng.hpp"

namespace parcae::testing {

// The float kernels must agree with the double reference to this norm-wise
// relative error (float epsilon is 6e-8; a few hundred roundings stay below).
constexpr double kFloatTolerance = 1e-5;

inline std::vector<double> random_vector(Rng& rng, std::size_t n, double stddev = 1.0) {
  std::vector<double> v(n);
  for (auto& x : v) x = stddev * rng.normal();
  return v;
}

inline std::vector<int> random_tokens(Rng& rng, std::size_t n, int V) {
  std::vector<int> v(n);
  for (auto& x : v) x = static_cast<int>(rng.below(V));
  return v;
}

// Float copies of double data: the kernels and the reference see the same numbers.
inline std::vector<float> to_float(const std::vector<double>& v) { return {v.begin(), v.end()}; }
inline std::vector<double> to_double(std::span<const float> v) { return {v.begin(), v.end()}; }

// ||got - ref|| / ||ref||
inline double rel_error(std::span<const float> got, const std::vector<double>& ref) {
  double diff = 0, norm = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    diff += (got[i] - ref[i]) * (got[i] - ref[i]);
    norm += ref[i] * ref[i];
  }
  return std::sqrt(diff / norm);
}

inline double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Checks `grad` = d objective / d x at `coords` sampled coordinates (all when
// x is smaller) by central differences: (f(x + h e_i) - f(x - h e_i)) / 2h in
// double. With h = 1e-5 the truncation error is ~h^2 |f'''| ~ 1e-10 and the
// rounding error ~1e-16 |f| / h ~ 1e-11 |f|, so 1e-6 (norm-wise over the
// sampled coordinates) leaves orders of magnitude of margin and still catches
// any real mistake (a wrong term is off by O(1)).
inline void expect_gradient_matches_differences(
    const std::function<double(const std::vector<double>&)>& objective, std::vector<double> x,
    const std::vector<double>& grad, Rng& rng, int coords = 24, const char* what = "") {
  const double h = 1e-5;
  double diff = 0, norm = 0;
  const bool all = x.size() <= static_cast<std::size_t>(coords);
  const int n = all ? static_cast<int>(x.size()) : coords;
  for (int k = 0; k < n; ++k) {
    const std::size_t i = all ? k : rng.below(x.size());
    const double keep = x[i];
    x[i] = keep + h;
    const double up = objective(x);
    x[i] = keep - h;
    const double down = objective(x);
    x[i] = keep;
    const double fd = (up - down) / (2 * h);
    diff += (fd - grad[i]) * (fd - grad[i]);
    norm += fd * fd;
  }
  EXPECT_LE(std::sqrt(diff / std::max(norm, 1e-300)), 1e-6) << what;
}

}  // namespace parcae::testing
