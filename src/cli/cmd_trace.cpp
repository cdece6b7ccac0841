// parcae trace show|gen|fit: look at a trace, make a synthetic one, or fit the
// generator's parameters to a real one.
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "number_option.hpp"
#include "parcae/error.hpp"
#include "parcae/trace/generator.hpp"
#include "parcae/trace/segments.hpp"
#include "parcae/trace/series.hpp"

namespace parcae::cli {
namespace {

using trace::GeneratorParams;
nlohmann::json to_json(const trace::Summary& s) {
  return {{"intervals", s.intervals},     {"n_min", s.n_min},
          {"n_max", s.n_max},             {"n_mean", s.n_mean},
          {"allocations", s.allocations}, {"preemptions", s.preemptions},
          {"intervals_with_preemption", s.intervals_with_preemption}};
}

void print_summary(std::ostream& out, const std::string& label, const trace::Series& series) {
  const auto s = trace::summarise(series);
  out << std::left << std::setw(16) << label << std::right << std::setw(10) << s.intervals
      << std::setw(7) << s.n_min << std::setw(7) << s.n_max << std::setw(8) << std::fixed
      << std::setprecision(1) << s.n_mean << std::setw(13) << s.allocations << std::setw(13)
      << s.preemptions << std::setw(18) << s.intervals_with_preemption << "\n";
}

int run_show(int argc, char** argv) {
  po::options_description options("parcae trace show options");
  options.add_options()
      ("file", po::value<std::string>()->value_name("FILE")->required(), "trace file (timestamp_ms,add|remove,node)")
      ("interval-seconds", number(kIntervalSeconds)->default_value(60.0), "interval length")
      ("start-hour", number(kTraceHours), "window start, hours from the trace start")
      ("end-hour", number(kTraceEndHours), "window end (exclusive), hours from the trace start")
      ("json", po::bool_switch(), "print one JSON object");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, "usage: parcae trace show FILE [--start-hour A --end-hour B] [--json]",
                          options, positional, vm)) {
    return 0;
  }
  const auto tr = trace::read_trace_file(vm["file"].as<std::string>());
  auto series = trace::discretise(tr, vm["interval-seconds"].as<double>());
  const double hours = series.intervals.size() * series.interval_s / 3600.0;
  const bool windowed = vm.count("start-hour") || vm.count("end-hour");
  if (windowed) {
    series = trace::window(series, vm.count("start-hour") ? vm["start-hour"].as<double>() : 0.0,
                           vm.count("end-hour") ? vm["end-hour"].as<double>() : hours);
  }
  if (vm["json"].as<bool>()) {
    auto j = to_json(trace::summarise(series));
    j["first_interval"] = series.first_index;
    j["interval_seconds"] = series.interval_s;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << tr.source << ": " << tr.events.size() << " events, " << std::fixed
            << std::setprecision(1) << hours << " h in " << series.interval_s << " s intervals\n"
            << std::left << std::setw(16) << "window" << std::right << std::setw(10)
            << "intervals" << std::setw(7) << "N min" << std::setw(7) << "N max" << std::setw(8)
            << "N mean" << std::setw(13) << "allocations" << std::setw(13) << "preemptions"
            << std::setw(18) << "with preemption\n";
  const auto label = [&](double a, double b) {
    std::ostringstream s;
    s << std::setprecision(3) << a << "-" << b << " h";
    return s.str();
  };
  print_summary(std::cout, windowed ? "selected" : "whole trace", series);
  if (!windowed) {
    // The paper's four one-hour segments, where they fit.
    for (const auto& seg : trace::paper_segments()) {
      if (seg.end_hour > hours) continue;
      print_summary(std::cout, seg.name + " " + label(seg.start_hour, seg.end_hour),
                    trace::window(series, seg.start_hour, seg.end_hour));
    }
  }
  return 0;
}

void add_generator_options(po::options_description& options, const GeneratorParams& d) {
  options.add_options()
      ("seed", number(closed<std::uint64_t>(0, UINT64_MAX))->default_value(d.seed), "random seed")
      ("capacity", number(closed(1, 100000))->default_value(d.capacity), "most instances alive at once")
      ("initial", number(closed(0, 100000))->default_value(d.initial), "instances allocated at t = 0")
      ("intervals", number(closed(1, 10'000'000))->default_value(d.intervals), "trace length in intervals")
      ("interval-seconds", number(kIntervalSeconds)->default_value(d.interval_s), "interval length")
      ("alloc-rate", number(closed(0.0, 1.0))->default_value(d.alloc_rate),
       "allocation events per free slot per interval")
      ("alloc-batch", number(closed(1.0, 100000.0))->default_value(d.alloc_batch_mean),
       "mean instances per allocation event")
      ("preempt-hazard", number(closed(0.0, 1.0))->default_value(d.preempt_hazard),
       "preemption events per alive instance per interval")
      ("preempt-batch", number(closed(1.0, 100000.0))->default_value(d.preempt_batch_mean),
       "mean instances per preemption event");
}

GeneratorParams generator_params(const po::variables_map& vm) {
  GeneratorParams p;
  p.seed = vm["seed"].as<std::uint64_t>();
  p.capacity = vm["capacity"].as<int>();
  p.initial = vm["initial"].as<int>();
  p.intervals = vm["intervals"].as<int>();
  p.interval_s = vm["interval-seconds"].as<double>();
  p.alloc_rate = vm["alloc-rate"].as<double>();
  p.alloc_batch_mean = vm["alloc-batch"].as<double>();
  p.preempt_hazard = vm["preempt-hazard"].as<double>();
  p.preempt_batch_mean = vm["preempt-batch"].as<double>();
  return p;
}

int run_gen(int argc, char** argv) {
  po::options_description options("parcae trace gen options");
  add_generator_options(options, GeneratorParams{});
  options.add_options()("out,o", po::value<std::string>()->value_name("OUT"), "output file (default or -: stdout)");
  po::variables_map vm;
  if (!parse_command_line(argc, argv,
                          "usage: parcae trace gen [--seed S] [--out FILE] [model parameters]\n"
                          "A synthetic trace from a birth-death model with bursts; its defaults\n"
                          "are fitted to the published p3trace (see `parcae trace fit`).",
                          options, {}, vm)) {
    return 0;
  }
  auto outputs = check_outputs(vm, {}, {{"out", /*stdout_allowed=*/true}});
  const auto tr = trace::generate_trace(generator_params(vm));
  std::ostringstream text;
  trace::write_trace(text, tr);
  if (!vm.count("out")) {
    std::cout << text.str();
    return 0;
  }
  outputs.set("--out", text.str());
  outputs.commit();
  return 0;
}

int run_fit(int argc, char** argv) {
  po::options_description options("parcae trace fit options");
  options.add_options()
      ("file", po::value<std::string>()->value_name("FILE")->required(), "trace file to fit")
      ("interval-seconds", number(kIntervalSeconds)->default_value(60.0), "interval length")
      ("json", po::bool_switch(), "print one JSON object");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, "usage: parcae trace fit FILE [--json]\n"
                          "Prints the generator parameters fitted to FILE, as options of `trace gen`.",
                          options, positional, vm)) {
    return 0;
  }
  const auto series = trace::discretise(trace::read_trace_file(vm["file"].as<std::string>()),
                                        vm["interval-seconds"].as<double>());
  const auto p = trace::fit_generator(series);
  if (vm["json"].as<bool>()) {
    std::cout << nlohmann::json{{"capacity", p.capacity}, {"initial", p.initial},
                                {"intervals", p.intervals}, {"interval_seconds", p.interval_s},
                                {"alloc_rate", p.alloc_rate}, {"alloc_batch", p.alloc_batch_mean},
                                {"preempt_hazard", p.preempt_hazard},
                                {"preempt_batch", p.preempt_batch_mean}}.dump(2)
              << "\n";
    return 0;
  }
  std::cout << std::setprecision(4) << "parcae trace gen --capacity " << p.capacity
            << " --initial " << p.initial << " --intervals " << p.intervals
            << " --interval-seconds " << p.interval_s << " --alloc-rate " << p.alloc_rate
            << " --alloc-batch " << p.alloc_batch_mean << " --preempt-hazard "
            << p.preempt_hazard << " --preempt-batch " << p.preempt_batch_mean << "\n";
  return 0;
}

}  // namespace

int run_trace(int argc, char** argv) {
  const std::string usage =
      "usage: parcae trace show|gen|fit [OPTIONS]   (parcae trace ACTION --help)\n"
      "  show FILE   intervals, N min/max/mean, allocations, preemptions\n"
      "  gen         write a seeded synthetic trace\n"
      "  fit FILE    fit the synthetic model's parameters to a trace";
  return run_action(argc, argv, "trace", usage, {{"show", run_show}, {"gen", run_gen}, {"fit", run_fit}});
}

}  // namespace parcae::cli
