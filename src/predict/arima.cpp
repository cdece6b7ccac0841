// Exact maximum-likelihood ARIMA(p, d, q); see include/parcae/predict/arima.hpp.
#include "parcae/predict/arima.hpp"

#include <cmath>
#include <numbers>
#include <numeric>

#include "arma_state_space.hpp"
#include "nelder_mead.hpp"

namespace parcae::predict {
namespace {

std::vector<double> difference(std::span<const double> y, int d) {
  std::vector<double> w(y.begin(), y.end());
  for (int k = 0; k < d && !w.empty(); ++k) {
    for (std::size_t i = 0; i + 1 < w.size(); ++i) w[i] = w[i + 1] - w[i];
    w.pop_back();
  }
  return w;
}

struct Coefficients {
  std::vector<double> ar, ma;
};

// Free values -> (AR, MA) inside the stationary / invertible region. The MA
// polynomial 1 + sum theta_j z^j is invertible when -theta is a stationary AR.
Coefficients coefficients_from_free(std::span<const double> x, const ArimaOrder& order) {
  Coefficients c;
  c.ar = detail::stationary_coefficients(x.subspan(0, order.p));
  c.ma = detail::stationary_coefficients(x.subspan(order.p, order.q));
  for (double& theta : c.ma) theta = -theta;
  return c;
}

bool carries_information(std::span<const double> w, const ArimaOrder& order) {
  const double squares = std::inner_product(w.begin(), w.end(), w.begin(), 0.0);
  return static_cast<int>(w.size()) >= order.p + order.q + 2 && squares > 1e-12;
}

}  // namespace

double arma_log_likelihood(std::span<const double> w, std::span<const double> ar,
                           std::span<const double> ma) {
  const auto pass = detail::kalman_filter(detail::arma_state_space(ar, ma), w);
  const double n = pass.observations;
  const double sigma2 = pass.sum_scaled_squares / n;
  return -0.5 * n * (std::log(2.0 * std::numbers::pi * sigma2) + 1.0) - 0.5 * pass.sum_log_f;
}

ArimaModel fit_arima(std::span<const double> y, ArimaOrder order) {
  ArimaModel model;
  model.order = order;
  model.ar.assign(order.p, 0.0);
  model.ma.assign(order.q, 0.0);
  auto w = difference(y, order.d);
  if (order.d == 0 && !w.empty()) {
    model.mean = std::accumulate(w.begin(), w.end(), 0.0) / static_cast<double>(w.size());
    for (double& v : w) v -= model.mean;
  }
  if (!carries_information(w, order)) {
    model.degenerate = true;
    return model;
  }
  auto negative_log_likelihood = [&](std::span<const double> x) {
    const auto c = coefficients_from_free(x, order);
    return -arma_log_likelihood(w, c.ar, c.ma);
  };
  const auto best = detail::nelder_mead(negative_log_likelihood,
                                        std::vector<double>(order.p + order.q, 0.0));
  const auto c = coefficients_from_free(best.x, order);
  model.ar = c.ar;
  model.ma = c.ma;
  const auto pass = detail::kalman_filter(detail::arma_state_space(c.ar, c.ma), w);
  model.sigma2 = pass.sum_scaled_squares / pass.observations;
  model.log_likelihood = -best.value;
  return model;
}

std::vector<double> forecast_arima(const ArimaModel& model, std::span<const double> y, int horizon) {
  const int d = model.order.d;
  std::vector<double> out;
  if (horizon <= 0) return out;
  if (y.empty()) return std::vector<double>(horizon, 0.0);
  // Forecasts of the d-th differences: the filtered state run forward.
  std::vector<double> w_ahead(horizon, 0.0);
  auto w = difference(y, d);
  if (!model.degenerate && !w.empty()) {
    for (double& v : w) v -= model.mean;
    const auto ss = detail::arma_state_space(model.ar, model.ma);
    auto state = detail::kalman_filter(ss, w).next_state;
    for (int h = 0; h < horizon; ++h) {
      w_ahead[h] = state[0];
      std::vector<double> next(ss.m, 0.0);
      for (int i = 0; i < ss.m; ++i)
        for (int j = 0; j < ss.m; ++j) next[i] += ss.transition[i * ss.m + j] * state[j];
      state = std::move(next);
    }
  }
  if (d == 0) {
    for (double& v : w_ahead) v += model.mean;
    return w_ahead;
  }
  // Integrate back: tails[k] is the last known value of the k-th difference.
  std::vector<double> tails(d);
  for (int k = 0; k < d; ++k) {
    const auto dk = difference(y, k);
    tails[k] = dk.empty() ? 0.0 : dk.back();
  }
  for (int h = 0; h < horizon; ++h) {
    double v = w_ahead[h];
    for (int k = d - 1; k >= 0; --k) {
      tails[k] += v;
      v = tails[k];
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace parcae::predict
