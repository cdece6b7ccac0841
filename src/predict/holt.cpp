// Damped-trend exponential smoothing; see include/parcae/predict/holt.hpp.
#include "parcae/predict/holt.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "nelder_mead.hpp"

namespace parcae::predict {
namespace {

// Bounds of statsmodels' ExponentialSmoothing for the damping parameter.
constexpr double kPhiLow = 0.8;
constexpr double kPhiHigh = 0.995;
// Grid points Nelder-Mead starts from.
constexpr std::size_t kStarts = 3;

struct State {
  double level, trend;
};

// Runs the recursion over y; `error` (if given) receives each one-step error.
template <class OnError>
State smooth(const HoltParams& p, std::span<const double> y, OnError&& on_error) {
  State s{p.level0, p.trend0};
  for (double obs : y) {
    const double predicted = s.level + p.phi * s.trend;
    on_error(obs - predicted);
    const double level = p.alpha * obs + (1.0 - p.alpha) * predicted;
    s.trend = p.beta * (level - s.level) + (1.0 - p.beta) * p.phi * s.trend;
    s.level = level;
  }
  return s;
}

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double logit(double p) { return std::log(p / (1.0 - p)); }

HoltParams smoothing_from_free(std::span<const double> u) {
  HoltParams p;
  p.alpha = logistic(u[0]);
  p.beta = p.alpha * logistic(u[1]);
  p.phi = kPhiLow + (kPhiHigh - kPhiLow) * logistic(u[2]);
  return p;
}

// The one-step errors are e_t = r_t - l0 * c_t - b0 * g_t, where r_t are the
// errors from a zero start and (c_t, g_t) the responses to a unit initial level
// and trend (the recursion is linear). Least squares in (l0, b0) is then a
// 2 x 2 system; a tiny ridge keeps it solvable when a start has no effect.
HoltParams with_best_start(HoltParams p, std::span<const double> y) {
  std::vector<double> r, c, g;
  HoltParams q = p;
  q.level0 = q.trend0 = 0.0;
  smooth(q, y, [&](double e) { r.push_back(e); });
  const std::vector<double> zeros(y.size(), 0.0);
  q.level0 = 1.0;
  smooth(q, zeros, [&](double e) { c.push_back(-e); });
  q.level0 = 0.0;
  q.trend0 = 1.0;
  smooth(q, zeros, [&](double e) { g.push_back(-e); });
  double cc = 0, cg = 0, gg = 0, cr = 0, gr = 0;
  for (std::size_t t = 0; t < y.size(); ++t) {
    cc += c[t] * c[t];
    cg += c[t] * g[t];
    gg += g[t] * g[t];
    cr += c[t] * r[t];
    gr += g[t] * r[t];
  }
  const double ridge = 1e-10 * (cc + gg + 1.0);
  cc += ridge;
  gg += ridge;
  const double det = cc * gg - cg * cg;
  p.level0 = (gg * cr - cg * gr) / det;
  p.trend0 = (cc * gr - cg * cr) / det;
  return p;
}

double concentrated_sse(std::span<const double> u, std::span<const double> y) {
  return holt_sse(with_best_start(smoothing_from_free(u), y), y);
}

// The SSE surface has several basins (a flat level with alpha near 1, a
// straight line with alpha near 0, ...): Nelder-Mead starts from the best few
// points of a grid that reaches into every corner of the bounds.
std::vector<std::vector<double>> grid_starts(std::span<const double> y, std::size_t keep) {
  std::vector<std::pair<double, std::vector<double>>> scored;
  for (double alpha : {0.001, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 0.999})
    for (double beta_share : {0.001, 0.1, 0.5, 0.99})
      for (double phi_share : {0.01, 0.5, 0.99}) {
        std::vector<double> u{logit(alpha), logit(beta_share), logit(phi_share)};
        scored.emplace_back(concentrated_sse(u, y), std::move(u));
      }
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::vector<double>> starts;
  for (std::size_t i = 0; i < std::min(keep, scored.size()); ++i) starts.push_back(scored[i].second);
  return starts;
}

}  // namespace

double holt_sse(const HoltParams& params, std::span<const double> y) {
  double sse = 0.0;
  smooth(params, y, [&](double e) { sse += e * e; });
  return sse;
}

HoltModel fit_damped_holt(std::span<const double> y) {
  HoltModel model;
  if (y.empty()) return model;
  if (y.size() < 3) {  // too short to tell a trend: a flat level at the last value
    model.params = HoltParams{1.0, 0.0, kPhiLow, y.back(), 0.0};
    model.sse = holt_sse(model.params, y);
    return model;
  }
  const auto objective = [&](std::span<const double> u) { return concentrated_sse(u, y); };
  detail::MinimizeResult best;
  best.value = std::numeric_limits<double>::infinity();
  for (const auto& start : grid_starts(y, kStarts)) {
    auto result = detail::nelder_mead(objective, start);
    if (result.value < best.value) best = std::move(result);
  }
  model.params = with_best_start(smoothing_from_free(best.x), y);
  model.sse = holt_sse(model.params, y);
  return model;
}

std::vector<double> forecast_holt(const HoltParams& params, std::span<const double> y, int horizon) {
  const State s = smooth(params, y, [](double) {});
  std::vector<double> out;
  double damping_sum = 0.0, phi_power = 1.0;
  for (int h = 0; h < horizon; ++h) {
    phi_power *= params.phi;
    damping_sum += phi_power;
    out.push_back(s.level + damping_sum * s.trend);
  }
  return out;
}

}  // namespace parcae::predict
