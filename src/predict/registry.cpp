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
