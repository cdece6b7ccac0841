// make_predictor: predictors by name, so that the CLI, the INI files and the
// coordinator all name them the same way.
#include <cstdio>
#include <sstream>

#include "parcae/error.hpp"
#include "predictors.hpp"

namespace parcae::predict {
namespace {

constexpr const char* kStablePrefix = "stable:";

// "arima(p,d,q)" with small orders; anything else is not an ARIMA name.
bool parse_arima_order(const std::string& name, ArimaOrder& order) {
  int p = 0, d = 0, q = 0;
  char close = 0;
  if (std::sscanf(name.c_str(), "arima(%d,%d,%d%c", &p, &d, &q, &close) != 4 || close != ')') return false;
  if (name != "arima(" + std::to_string(p) + "," + std::to_string(d) + "," + std::to_string(q) + ")")
    return false;
  if (p < 0 || p > 4 || d < 0 || d > 2 || q < 0 || q > 4) return false;
  order = ArimaOrder{p, d, q};
  return true;
}

std::string known_names() {
  std::ostringstream out;
  for (const auto& n : predictor_names()) out << n << ", ";
  out << "arima(p,d,q) with p,q <= 4 and d <= 2, stable:<any of them>";
  return out.str();
}

}  // namespace

std::vector<std::string> predictor_names() {
  return {"last-value", "arima", "holt", "stable:arima", "stable:holt"};
}

// Chosen by the rule: lowest mean MAE at H = 12, history 12 on the
// first half of ../shared/traces/p3trace.csv (intervals [0, 341)), confirmed on
// the second ([341, 683)). Measured (first / second half): last-value
// 2.495 / 2.072, stable:arima 2.528 / 2.082, arima 2.596 / 2.082, stable:holt
// 2.867 / 2.514, holt 3.309 / 2.830. Candidates explored and not kept: a
// median of the rate model's level distribution beat last-value on the first
// half (2.32-2.45 by learning window) but lost on the second (2.21-2.56), and
// conditional medians of past k-step changes (on recent change sign, level,
// distance to the cap, time since the last change) and thresholded momentum
// stayed within ~1% of last-value or worse. On this trace N is close to a
// random walk at the 1-12 minute scale, and persistence is hard to beat.
std::string default_predictor_name() { return "last-value"; }

std::unique_ptr<Predictor> make_predictor(const std::string& name, const PredictorOptions& options) {
  if (name.rfind(kStablePrefix, 0) == 0) {
    return detail::make_stable(make_predictor(name.substr(std::string(kStablePrefix).size()), options),
                               options);
  }
  if (name == "last-value") return detail::make_last_value();
  if (name == "arima") return detail::make_arima(options, ArimaOrder{});
  if (name == "holt") return detail::make_holt(options);
  ArimaOrder order;
  if (parse_arima_order(name, order)) return detail::make_arima(options, order);
  throw InputError("unknown predictor '" + name + "' (known: " + known_names() + ")");
}

}  // namespace parcae::predict
