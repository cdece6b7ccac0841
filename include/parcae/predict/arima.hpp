#pragma once
// ARIMA(p, d, q) without a constant, fitted by exact Gaussian maximum
// likelihood. The series is differenced d times and the ARMA(p, q) likelihood
// of the differences is evaluated exactly by a Kalman filter started from the
// stationary state covariance; sigma^2 is concentrated out and the AR / MA
// coefficients are searched over the stationary / invertible region through
// partial autocorrelations (Nelder-Mead). This is the same estimate as
// statsmodels' `ARIMA(y, order=(p,d,q), trend='n').fit()` (state space, exact
// diffuse initialisation of the integrated part, which equals the likelihood
// of the differences). With d = 0 the series is centred on its sample mean.
#include <span>
#include <vector>

namespace parcae::predict {

struct ArimaOrder {
  int p = 1;
  int d = 1;
  int q = 0;
};

struct ArimaModel {
  ArimaOrder order;
  std::vector<double> ar;  // phi_1..phi_p: w_t = sum phi_i w_{t-i} + e_t + sum theta_j e_{t-j}
  std::vector<double> ma;  // theta_1..theta_q
  double sigma2 = 0.0;     // innovation variance (ML: divides by the number of differences)
  double log_likelihood = 0.0;
  double mean = 0.0;       // subtracted before fitting (d = 0 only)
  // True when the differences carry no information (fewer than p + q + 2, or
  // all zero): coefficients are 0 and the forecast differences are 0 (for
  // d = 1, the level holds).
  bool degenerate = false;
};

// Exact log-likelihood of a zero-mean ARMA(p, q) series w, sigma^2 concentrated out.
double arma_log_likelihood(std::span<const double> w, std::span<const double> ar,
                           std::span<const double> ma);

ArimaModel fit_arima(std::span<const double> y, ArimaOrder order);

// Point forecasts of the levels y_{n+1..n+horizon} (conditional means).
std::vector<double> forecast_arima(const ArimaModel& model, std::span<const double> y, int horizon);

}  // namespace parcae::predict
