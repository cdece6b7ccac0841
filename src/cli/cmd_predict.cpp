// parcae predict: scores the availability predictors on a trace, every
// interval with a full history window before it and H after it as an origin.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "number_option.hpp"
#include "parcae/error.hpp"
#include "parcae/predict/evaluate.hpp"
#include "parcae/trace/generator.hpp"
#include "parcae/trace/series.hpp"
#include "parcae/util/text.hpp"

namespace parcae::cli {
namespace {

trace::Series load_series(const po::variables_map& vm) {
  trace::Series series;
  if (vm.count("trace")) {
    try {
      series = trace::discretise(trace::read_trace_file(vm["trace"].as<std::string>()),
                                 vm["interval-seconds"].as<double>());
    } catch (const InputError& e) {
      throw InputError(std::string("--trace: ") + e.what());
    }
  } else {
    const trace::GeneratorParams params;
    series = trace::discretise(trace::generate_trace(params), params.interval_s);
  }
  if (vm.count("start-hour") || vm.count("end-hour")) {
    const double hours = series.intervals.size() * series.interval_s / 3600.0;
    series = trace::window(series, vm.count("start-hour") ? vm["start-hour"].as<double>() : 0.0,
                           vm.count("end-hour") ? vm["end-hour"].as<double>() : hours);
  }
  return series;
}

// The evaluation refits every predictor at every origin over its history
// window: bounded before it starts (measured here: ~1e-5 s a unit for ARIMA,
// ~4e-5 for Holt; the default run on p3trace is 79 200 units, 3 s).
constexpr double kMaxWorkUnits = 3e6;

void check_work(const trace::Series& series, int history, int horizon, std::size_t predictors) {
  const double origins =
      std::max(0.0, static_cast<double>(series.intervals.size()) - history - horizon + 1);
  const double units = origins * (history + horizon) * static_cast<double>(predictors);
  if (units > kMaxWorkUnits)
    throw InputError("evaluating " + std::to_string(predictors) + " predictors at " +
                     std::to_string(static_cast<long>(origins)) + " origins over " +
                     std::to_string(history + horizon) + " intervals each is " +
                     std::to_string(static_cast<long long>(units)) + " units of work, more than " +
                     std::to_string(static_cast<long long>(kMaxWorkUnits)) +
                     ": use a shorter window (--start-hour/--end-hour), --history or fewer "
                     "--predictors");
}

void check_options(int horizon, int history) {
  if (horizon < 1) throw InputError("--horizon must be at least 1 (got " + std::to_string(horizon) + ")");
  if (history < 2) throw InputError("--history must be at least 2 (got " + std::to_string(history) + ")");
}

// ordered_json keeps the keys in this order: the predictor's name first.
nlohmann::ordered_json to_json(const predict::Accuracy& a) {
  return {{"predictor", a.predictor},
          {"origins", a.origins},
          {"mae", a.mae},
          {"mean_mae", a.mean_mae},
          {"direction_hit_rate", a.direction_hit_rate},
          {"direction_origins", a.direction_origins}};
}

void print_table(std::ostream& out, const std::vector<predict::Accuracy>& results, int horizon) {
  out << std::left << std::setw(22) << "predictor" << std::right << std::setw(8) << "origins";
  for (int k = 1; k <= horizon; ++k) out << std::setw(k < 10 ? 6 : 5) << 'h' << k;
  out << std::setw(9) << "mean" << std::setw(9) << "dir hit\n";
  out << std::fixed;
  for (const auto& a : results) {
    out << std::left << std::setw(22) << a.predictor << std::right << std::setw(8) << a.origins
        << std::setprecision(2);
    for (double m : a.mae) out << std::setw(7) << m;
    out << std::setprecision(3) << std::setw(9) << a.mean_mae << std::setw(8) << std::setprecision(3)
        << a.direction_hit_rate << "\n";
  }
}

}  // namespace

int run_predict(int argc, char** argv) {
  po::options_description options("parcae predict options");
  options.add_options()
      ("trace", po::value<std::string>()->value_name("FILE"),
       "trace file (timestamp_ms,add|remove,node); default: the built-in synthetic trace")
      ("horizon", number(closed(1, 1440))->default_value(12), "intervals forecast at each origin (H)")
      ("history", number(closed(2, 1440))->default_value(12),
       "intervals each model looks back over (Parcae: 8-12)")
      ("predictors", po::value<std::string>()->value_name("A,B,..."),
       "predictors to evaluate (default: all of them)")
      ("cap", number(closed(0, 1'000'000))->default_value(0), "upper bound on N; 0 = the largest N seen so far")
      ("interval-seconds", number(kIntervalSeconds)->default_value(60.0), "interval length")
      ("start-hour", number(kTraceHours), "window start, hours from the trace start")
      ("end-hour", number(kTraceEndHours), "window end (exclusive), hours from the trace start")
      ("json", po::bool_switch(), "print one JSON array, one object per predictor");
  po::variables_map vm;
  if (!parse_command_line(argc, argv,
                          "usage: parcae predict [--trace FILE] [--horizon H] [--history K]\n"
                          "                      [--predictors A,B] [--start-hour A --end-hour B] [--json]\n"
                          "Mean absolute error of N at each horizon step, its mean, and how often\n"
                          "the forecast got the direction of the next change right. The default\n"
                          "predictor is " + predict::default_predictor_name() + ".",
                          options, {}, vm)) {
    return 0;
  }
  const int horizon = vm["horizon"].as<int>();
  const int history = vm["history"].as<int>();
  check_options(horizon, history);
  predict::PredictorOptions popts;
  popts.history = history;
  popts.cap = vm["cap"].as<int>();
  if (popts.cap < 0) throw InputError("--cap must be >= 0 (got " + std::to_string(popts.cap) + ")");
  const auto names = vm.count("predictors") ? util::parse_list(vm["predictors"].as<std::string>(), "--predictors")
                                            : predict::predictor_names();
  std::vector<std::unique_ptr<predict::Predictor>> predictors;
  for (const auto& name : names) {
    try {
      predictors.push_back(predict::make_predictor(name, popts));
    } catch (const InputError& e) {
      throw InputError(std::string("--predictors: ") + e.what());
    }
  }
  const auto series = load_series(vm);
  check_work(series, history, horizon, predictors.size());

  std::vector<predict::Accuracy> results;
  for (const auto& p : predictors) results.push_back(predict::evaluate(*p, series, history, horizon));
  if (vm["json"].as<bool>()) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const auto& a : results) all.push_back(to_json(a));
    std::cout << all.dump(2) << "\n";
    return 0;
  }
  std::cout << (vm.count("trace") ? vm["trace"].as<std::string>() : std::string("synthetic trace (seed 1)"))
            << ": " << series.intervals.size() << " intervals from interval " << series.first_index
            << ", history " << history << ", horizon " << horizon << "\n";
  print_table(std::cout, results, horizon);
  return 0;
}

}  // namespace parcae::cli
