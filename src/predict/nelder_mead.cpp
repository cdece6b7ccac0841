// Nelder-Mead with the standard coefficients (reflection 1, expansion 2,
// contraction 1/2, shrink 1/2), restarted from its best vertex so that a
// collapsed simplex does not end the search early.
#include "nelder_mead.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace parcae::predict::detail {
namespace {

struct Simplex {
  std::vector<std::vector<double>> points;
  std::vector<double> values;
};

class Search {
 public:
  Search(const Objective& f, const NelderMeadOptions& options) : f_(f), options_(options) {}

  double eval(std::span<const double> x) {
    ++evaluations_;
    const double v = f_(x);
    return std::isfinite(v) ? v : HUGE_VAL;  // infeasible points simply lose
  }

  bool budget_left() const { return evaluations_ < options_.max_evaluations; }
  int evaluations() const { return evaluations_; }

  Simplex start_simplex(const std::vector<double>& x0, double step) {
    Simplex s;
    s.points.push_back(x0);
    for (std::size_t i = 0; i < x0.size(); ++i) {
      auto p = x0;
      p[i] += step;
      s.points.push_back(p);
    }
    for (const auto& p : s.points) s.values.push_back(eval(p));
    return s;
  }

  bool converged(const Simplex& s) const {
    const auto [lo, hi] = std::minmax_element(s.values.begin(), s.values.end());
    if (*hi - *lo > options_.f_tolerance * (1.0 + std::abs(*lo))) return false;
    double spread = 0.0;
    for (const auto& p : s.points)
      for (std::size_t i = 0; i < p.size(); ++i)
        spread = std::max(spread, std::abs(p[i] - s.points[0][i]));
    return spread <= options_.x_tolerance;
  }

  void run(Simplex& s) {
    const std::size_t n = s.points.size() - 1;
    while (budget_left() && !converged(s)) {
      order(s);
      const auto centroid = centroid_without_worst(s);
      auto along = [&](double t) {  // centroid + t * (centroid - worst)
        std::vector<double> p(n);
        for (std::size_t i = 0; i < n; ++i) p[i] = centroid[i] + t * (centroid[i] - s.points[n][i]);
        return p;
      };
      const auto reflected = along(1.0);
      const double fr = eval(reflected);
      if (fr < s.values[0]) {
        const auto expanded = along(2.0);
        const double fe = eval(expanded);
        replace_worst(s, fe < fr ? expanded : reflected, std::min(fe, fr));
      } else if (fr < s.values[n - 1]) {
        replace_worst(s, reflected, fr);
      } else {
        const auto contracted = fr < s.values[n] ? along(0.5) : along(-0.5);
        const double fc = eval(contracted);
        if (fc < std::min(fr, s.values[n])) {
          replace_worst(s, contracted, fc);
        } else {
          shrink(s);
        }
      }
    }
    order(s);
  }

 private:
  static void order(Simplex& s) {
    std::vector<std::size_t> idx(s.points.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](auto a, auto b) { return s.values[a] < s.values[b]; });
    Simplex sorted;
    for (auto i : idx) {
      sorted.points.push_back(s.points[i]);
      sorted.values.push_back(s.values[i]);
    }
    s = std::move(sorted);
  }

  static std::vector<double> centroid_without_worst(const Simplex& s) {
    const std::size_t n = s.points.size() - 1;
    std::vector<double> c(n, 0.0);
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t i = 0; i < n; ++i) c[i] += s.points[k][i] / static_cast<double>(n);
    return c;
  }

  static void replace_worst(Simplex& s, std::vector<double> p, double v) {
    s.points.back() = std::move(p);
    s.values.back() = v;
  }

  void shrink(Simplex& s) {
    for (std::size_t k = 1; k < s.points.size(); ++k) {
      for (std::size_t i = 0; i < s.points[k].size(); ++i)
        s.points[k][i] = s.points[0][i] + 0.5 * (s.points[k][i] - s.points[0][i]);
      s.values[k] = eval(s.points[k]);
    }
  }

  const Objective& f_;
  NelderMeadOptions options_;
  int evaluations_ = 0;
};

}  // namespace

MinimizeResult nelder_mead(const Objective& f, std::vector<double> start,
                           const NelderMeadOptions& options) {
  Search search(f, options);
  MinimizeResult best{start, search.eval(start), 0};
  if (start.empty()) {
    best.evaluations = search.evaluations();
    return best;
  }
  double step = options.initial_step;
  for (int attempt = 0; attempt <= options.restarts && search.budget_left(); ++attempt) {
    auto simplex = search.start_simplex(best.x, step);
    search.run(simplex);
    if (simplex.values[0] <= best.value) {
      best.x = simplex.points[0];
      best.value = simplex.values[0];
    }
    step *= 0.1;  // each restart probes closer around the best point found
  }
  best.evaluations = search.evaluations();
  return best;
}

}  // namespace parcae::predict::detail
