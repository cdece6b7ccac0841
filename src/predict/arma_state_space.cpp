#include "arma_state_space.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace parcae::predict::detail {
namespace {

// Solves A x = b (n x n, row-major) by Gaussian elimination with partial pivoting.
std::vector<double> solve_linear(std::vector<double> a, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r)
      if (std::abs(a[r * n + col]) > std::abs(a[pivot * n + col])) pivot = r;
    if (std::abs(a[pivot * n + col]) < 1e-300) throw std::runtime_error("singular ARMA covariance system");
    if (pivot != col) {
      for (std::size_t c = 0; c < n; ++c) std::swap(a[col * n + c], a[pivot * n + c]);
      std::swap(b[col], b[pivot]);
    }
    for (std::size_t r = col + 1; r < n; ++r) {
      const double factor = a[r * n + col] / a[col * n + col];
      if (factor == 0.0) continue;
      for (std::size_t c = col; c < n; ++c) a[r * n + c] -= factor * a[col * n + c];
      b[r] -= factor * b[col];
    }
  }
  std::vector<double> x(n);
  for (std::size_t i = n; i-- > 0;) {
    double s = b[i];
    for (std::size_t c = i + 1; c < n; ++c) s -= a[i * n + c] * x[c];
    x[i] = s / a[i * n + i];
  }
  return x;
}

// out = T * v
std::vector<double> apply(const ArmaStateSpace& model, std::span<const double> v) {
  const int m = model.m;
  std::vector<double> out(m, 0.0);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) out[i] += model.transition[i * m + j] * v[j];
  return out;
}

// T P T' + R R'
std::vector<double> propagate(const ArmaStateSpace& model, std::span<const double> p) {
  const int m = model.m;
  std::vector<double> tp(m * m, 0.0), out(m * m, 0.0);
  for (int i = 0; i < m; ++i)
    for (int k = 0; k < m; ++k)
      for (int j = 0; j < m; ++j) tp[i * m + j] += model.transition[i * m + k] * p[k * m + j];
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) {
      double s = model.noise[i] * model.noise[j];
      for (int k = 0; k < m; ++k) s += tp[i * m + k] * model.transition[j * m + k];
      out[i * m + j] = s;
    }
  return out;
}

}  // namespace

ArmaStateSpace arma_state_space(std::span<const double> ar, std::span<const double> ma) {
  ArmaStateSpace model;
  model.m = static_cast<int>(std::max(ar.size(), ma.size() + 1));
  const int m = model.m;
  model.transition.assign(m * m, 0.0);
  for (std::size_t i = 0; i < ar.size(); ++i) model.transition[i * m] = ar[i];
  for (int i = 0; i + 1 < m; ++i) model.transition[i * m + i + 1] = 1.0;
  model.noise.assign(m, 0.0);
  model.noise[0] = 1.0;
  for (std::size_t j = 0; j < ma.size(); ++j) model.noise[j + 1] = ma[j];
  return model;
}

std::vector<double> stationary_covariance(const ArmaStateSpace& model) {
  // vec(P) = (T (x) T) vec(P) + vec(R R')  =>  (I - T (x) T) vec(P) = vec(R R')
  const int m = model.m;
  const int n = m * m;
  std::vector<double> a(n * n, 0.0), b(n);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) {
      const int row = i * m + j;
      b[row] = model.noise[i] * model.noise[j];
      for (int k = 0; k < m; ++k)
        for (int l = 0; l < m; ++l)
          a[row * n + k * m + l] -= model.transition[i * m + k] * model.transition[j * m + l];
      a[row * n + row] += 1.0;
    }
  return solve_linear(std::move(a), std::move(b));
}

KalmanPass kalman_filter(const ArmaStateSpace& model, std::span<const double> w) {
  const int m = model.m;
  KalmanPass pass;
  std::vector<double> state(m, 0.0);
  std::vector<double> cov = stationary_covariance(model);
  for (double obs : w) {
    const double v = obs - state[0];
    const double f = cov[0];
    pass.sum_scaled_squares += v * v / f;
    pass.sum_log_f += std::log(f);
    ++pass.observations;
    // Update on the observation, then predict the next state.
    std::vector<double> filtered(state), filtered_cov(cov);
    for (int i = 0; i < m; ++i) filtered[i] += cov[i * m] * v / f;
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j) filtered_cov[i * m + j] -= cov[i * m] * cov[j] / f;
    state = apply(model, filtered);
    cov = propagate(model, filtered_cov);
  }
  pass.next_state = std::move(state);
  return pass;
}

std::vector<double> stationary_coefficients(std::span<const double> free_values) {
  // Kept off the unit circle, where the stationary covariance stops existing.
  constexpr double kMostPartial = 1.0 - 1e-9;
  std::vector<double> phi;
  for (double x : free_values) {
    const double r = std::clamp(x / std::sqrt(1.0 + x * x), -kMostPartial, kMostPartial);
    std::vector<double> next(phi.size() + 1);
    for (std::size_t j = 0; j < phi.size(); ++j) next[j] = phi[j] - r * phi[phi.size() - 1 - j];
    next.back() = r;
    phi = std::move(next);
  }
  return phi;
}

}  // namespace parcae::predict::detail
