#pragma once
// ARMA(p, q) in Harvey's state-space form, the representation the exact
// likelihood and the forecasts of the ARIMA predictor run on:
//   state x_t (m = max(p, q + 1)),  x_{t+1} = T x_t + R e_{t+1},  w_t = x_t[0],
//   T = [phi | shifted identity],   R = (1, theta_1, ..., theta_{m-1}).
#include <span>
#include <vector>

namespace parcae::predict::detail {

struct ArmaStateSpace {
  int m = 1;
  std::vector<double> transition;  // T, m x m, row-major
  std::vector<double> noise;       // R, m
};

ArmaStateSpace arma_state_space(std::span<const double> ar, std::span<const double> ma);

// P = T P T' + R R': the covariance of the state when the process is stationary
// (unit innovation variance), solved as one linear system in vec(P).
std::vector<double> stationary_covariance(const ArmaStateSpace& model);

struct KalmanPass {
  double sum_scaled_squares = 0.0;  // sum v_t^2 / F_t
  double sum_log_f = 0.0;           // sum log F_t
  int observations = 0;
  std::vector<double> next_state;   // E[x_{n+1} | w_1..w_n]
};

// Runs the filter over w from the stationary start (unit innovation variance).
KalmanPass kalman_filter(const ArmaStateSpace& model, std::span<const double> w);

// Partial autocorrelations in (-1, 1) (as x / sqrt(1 + x^2) of free values)
// to the coefficients of a stationary AR polynomial, by Durbin-Levinson.
std::vector<double> stationary_coefficients(std::span<const double> free_values);

}  // namespace parcae::predict::detail
