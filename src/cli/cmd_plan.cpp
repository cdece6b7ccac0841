// parcae plan: the liveput optimizer's decision for one forecast.
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "number_option.hpp"
#include "parcae/error.hpp"
#include "parcae/liveput/optimizer.hpp"
#include "parcae/util/text.hpp"

namespace parcae::cli {
namespace {

int parse_count(const std::string& text, const std::string& where) {
  const auto v = util::parse_number<int>(text);
  if (!v || *v < 0) throw InputError("--future: " + where + ": '" + text + "' is not a count >= 0");
  return *v;
}

// "N,in,out;N,in,out;..." with N_k = N_{k-1} + in - out.
std::vector<trace::Interval> parse_future(const std::string& text, int n_now) {
  std::vector<trace::Interval> future;
  int prev = n_now;
  for (const auto& item : util::parse_list(text, "--future", ';')) {
    const std::string where = "interval " + std::to_string(future.size() + 1);
    const auto fields = util::split(item, ',');
    if (fields.size() != 3)
      throw InputError("--future: " + where + ": '" + item + "' is not N,in,out");
    const trace::Interval iv{parse_count(fields[0], where), parse_count(fields[1], where),
                             parse_count(fields[2], where)};
    if (iv.n_out > prev || iv.n != prev + iv.n_in - iv.n_out)
      throw InputError("--future: " + where + ": N=" + std::to_string(iv.n) +
                       " does not follow from " + std::to_string(prev) + " + " + fields[1] +
                       " - " + fields[2]);
    future.push_back(iv);
    prev = iv.n;
  }
  return future;
}

std::string name(liveput::Config c) {
  return c.training() ? std::to_string(c.dp) + "x" + std::to_string(c.pp) : "none";
}

}  // namespace

int run_plan(int argc, char** argv) {
  po::options_description options("Options");
  options.add_options()
      ("nodes", number(closed(0, kMaxInstances)), "instances alive now")
      ("dp", number(closed(0, kMaxInstances))->default_value(0), "data-parallel replicas running now (0: not training)")
      ("pp", number(closed(0, kMaxInstances))->default_value(0), "pipeline stages running now (0: not training)")
      ("pending-ms", number(closed(0.0, 1e9))->default_value(0.0), "migration time still to serve")
      ("future", po::value<std::string>()->value_name("N,in,out;..."),
       "forecast of the next intervals: instances after the interval, allocated, preempted")
      ("top", number(closed(0, 1000))->default_value(5), "alternatives to print")
      ("json", "print the decision as JSON");
  add_cost_model_options(options);
  po::variables_map vm;
  if (!parse_command_line(argc, argv,
                          "usage: parcae plan --profile FILE --nodes N --dp D --pp P --future \"N,in,out;...\"\n"
                          "Prints the configuration for the next interval and the best alternatives.",
                          options, {}, vm))
    return 0;
  if (!vm.count("nodes") || !vm.count("future")) throw InputError("--nodes and --future are required");
  const int n = vm["nodes"].as<int>();
  const liveput::Config current{vm["dp"].as<int>(), vm["pp"].as<int>()};
  const double pending = vm["pending-ms"].as<double>();
  if (n < 0) throw InputError("--nodes must be >= 0");
  if (current.dp < 0 || current.pp < 0 || (current.dp == 0) != (current.pp == 0))
    throw InputError("--dp/--pp: both > 0, or both 0 (not training)");
  if (current.instances() > n)
    throw InputError("--dp x --pp = " + std::to_string(current.instances()) + " > --nodes " + std::to_string(n));
  if (pending < 0.0) throw InputError("--pending-ms must be >= 0");
  const auto future = parse_future(vm["future"].as<std::string>(), n);
  const liveput::CostModel model = cost_model_from(vm);
  int most = n;
  for (const auto& iv : future) most = std::max(most, iv.n);
  check_planning_size(model, most, transition_options_from(vm));
  if (current.training() && model.samples_per_s(current) <= 0.0)
    throw InputError("--dp/--pp: " + name(current) + " is not a feasible configuration of the profile");
  liveput::TransitionTable table(model, transition_options_from(vm));
  const liveput::Plan p = liveput::plan_with_alternatives(table, {n, current, pending}, future);
  const int top = std::max(0, vm["top"].as<int>());

  if (vm.count("json")) {
    nlohmann::json j = {{"next", {{"dp", p.next.dp}, {"pp", p.next.pp}}},
                        {"expected_samples", p.expected_samples}};
    for (auto c : p.path) j["path"].push_back({{"dp", c.dp}, {"pp", c.pp}});
    j["alternatives"] = nlohmann::json::array();
    for (int i = 0; i < top && i < static_cast<int>(p.alternatives.size()); ++i)
      j["alternatives"].push_back({{"dp", p.alternatives[i].first.dp},
                                   {"pp", p.alternatives[i].first.pp},
                                   {"expected_samples", p.alternatives[i].expected_samples}});
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "next: " << name(p.next) << "  (expected samples over " << future.size()
            << " intervals: " << std::fixed << std::setprecision(1) << p.expected_samples << ")\npath:";
  for (auto c : p.path) std::cout << " " << name(c);
  std::cout << "\nalternatives (first step, best expected samples):\n";
  for (int i = 0; i < top && i < static_cast<int>(p.alternatives.size()); ++i)
    std::cout << "  " << std::left << std::setw(7) << name(p.alternatives[i].first) << std::right
              << std::setw(12) << p.alternatives[i].expected_samples << "\n";
  return 0;
}

}  // namespace parcae::cli
