// parcae simulate: replay an availability trace under each policy and count
// the committed samples with the paper's accounting (src/liveput).
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "number_option.hpp"
#include "plot_option.hpp"
#include "parcae/error.hpp"
#include "parcae/liveput/pipeline_model.hpp"
#include "parcae/liveput/predictor_forecaster.hpp"
#include "parcae/liveput/simulator.hpp"
#include "parcae/predict/predictor.hpp"
#include "parcae/trace/segments.hpp"
#include "parcae/trace/series.hpp"
#include "parcae/trace/trace.hpp"
#include "parcae/util/stopwatch.hpp"
#include "parcae/util/text.hpp"

namespace parcae::cli {

void add_cost_model_options(po::options_description& options) {
  const liveput::CostConstants k;
  options.add_options()
      ("profile", po::value<std::string>()->value_name("FILE"),
       "throughput table dp,pp,iteration_ms,samples_per_s (../shared/profiles/*.csv)")
      ("layer-costs", po::value<std::string>()->value_name("FILE"),
       "instead of --profile: measured layer costs forward_ms,backward_ms,params, one row per "
       "layer; throughput from the 1F1B pipeline model, layer sizes from the params column")
      ("global-batch", number(closed(1, 1'000'000))->default_value(128), "samples per step (pipeline model)")
      ("micro-batch", number(closed(1, 1'000'000))->default_value(1), "samples per micro-batch (pipeline model)")
      ("activation-bytes", number(kBytes)->default_value(1024.0 * 1600 * 4),
       "activations of one micro-batch between stages (pipeline model; default GPT-1.5B, seq 1024, fp32)")
      ("max-instances", number(closed(1, kMaxInstances))->default_value(32), "largest cluster (pipeline model)")
      ("p2p", po::value<std::string>()->value_name("FILE"),
       "p2p transfer table bytes,microseconds (default: p2p_10gbps.csv beside the profile, else the paper's table built in)")
      ("cost-model", po::value<std::string>()->default_value("paper"),
       "layer sizes: 'paper' (the artifact's GPT-1.5B sizes) or 'shape' (from --layers/--hidden/--vocab/--seq-len)")
      ("layers", number(closed(1, kMaxCostModelLayers))->default_value(48), "transformer blocks (cost-model shape)")
      ("hidden", number(closed(1, 1'000'000))->default_value(1600), "model width (cost-model shape)")
      ("vocab", number(closed(1, 100'000'000))->default_value(50257), "vocabulary (cost-model shape)")
      ("seq-len", number(closed(1, 10'000'000))->default_value(1024), "sequence length (cost-model shape)")
      ("min-pp", number(closed(1, kMaxInstances)), "smallest pipeline depth allowed (default: the table's)")
      ("max-pp", number(closed(1, kMaxInstances)), "largest pipeline depth allowed (default: the table's)")
      ("notice-seconds", number(closed(0.0, 86400.0))->default_value(k.notice_s),
       "preemption notice; 0 = a stage that lost every replica rolls back to the checkpoint")
      ("interval-seconds", number(kIntervalSeconds)->default_value(k.interval_s), "trace interval")
      ("rendezvous-ms", number(kMillis)->default_value(k.rendezvous_ms), "re-rendezvous of a restarted job")
      ("process-start-ms", number(kMillis)->default_value(k.process_start_ms), "process start")
      ("checkpoint-ms", number(kMillis)->default_value(k.checkpoint_ms), "checkpoint save + load (reactive)")
      ("layer-build-ms", number(kMillis)->default_value(k.layer_build_ms), "model build per layer of a stage")
      ("rebuild-base-ms", number(kMillis)->default_value(k.rebuild_base_ms), "communicator rebuild, fixed part")
      ("rebuild-add-ms", number(kMillis)->default_value(k.rebuild_add_ms), "communicator rebuild per group, additions")
      ("rebuild-remove-ms", number(kMillis)->default_value(k.rebuild_remove_ms), "communicator rebuild per group, removals")
      ("rollback-extra-ms", number(kMillis)->default_value(k.rollback_extra_ms), "checkpoint load on a rollback")
      ("build-layers", number(closed(0, 100000))->default_value(k.build_layers), "layers built per model build: layer-build-ms x ceil(build-layers / pp)")
      ("embedding-bytes", number(kBytes)->default_value(k.embedding_bytes), "embedding sent in every model build")
      ("bytes-per-param", number(closed(0.0, 1000.0))->default_value(k.bytes_per_param), "model state per parameter (fp32 + two Adam moments)")
      ("spares-in-job", po::value<bool>()->default_value(false),
       "spares are parked ranks of the running job: only newly allocated instances need a "
       "re-rendezvous (false: the artifact's rule, any instance joining the grid does)")
      ("optimizer", po::value<std::string>()->default_value("auto"),
       "targets the optimizer weighs: exact (every configuration), scaled (the throughput "
       "frontier and the current pipeline depth), auto (exact up to 64 instances, scaled beyond)")
      ("scaled-slack", number(closed(0.0, 1.0))->default_value(liveput::TransitionOptions{}.scaled_slack),
       "scaled optimizer: also weigh configurations within this fraction of the best throughput "
       "on as many instances")
      ("repartition-transfer", po::value<std::string>()->default_value("sum"),
       "re-partition transfer: sum (one stream, the artifact's intent), max (stages receive in parallel), "
       "last (the artifact's flaw: only the last stage is charged)");
}

liveput::CostModel cost_model_from(const po::variables_map& vm) {
  using namespace liveput;
  const bool from_layers = vm.count("layer-costs") > 0;
  if (vm.count("profile") == from_layers)
    throw InputError("give one of --profile (a throughput table) or --layer-costs");
  const std::string source = vm[from_layers ? "layer-costs" : "profile"].as<std::string>();
  // --p2p, else p2p_10gbps.csv beside the profile, else the built-in copy of it.
  const std::string beside =
      (std::filesystem::path(source).parent_path() / "p2p_10gbps.csv").string();
  P2pTable p2p = vm.count("p2p")                   ? read_p2p_file(vm["p2p"].as<std::string>())
                 : std::filesystem::exists(beside) ? read_p2p_file(beside)
                                                   : paper_p2p_10gbps();
  ThroughputTable table;
  LayerParams measured_layers;
  if (from_layers) {
    PipelineModel pm;
    pm.layers = read_layer_costs_file(source);
    if (pm.layers.size() > static_cast<std::size_t>(kMaxCostModelLayers))
      throw InputError(source + ": " + std::to_string(pm.layers.size()) + " layers, more than " +
                       std::to_string(kMaxCostModelLayers) + " (the cost model's work grows with their square)");
    // Measured layer costs come from this system, whose runtime balances stages by them.
    pm.partition = PipelineModel::Partition::balanced;
    pm.global_batch = vm["global-batch"].as<int>();
    pm.micro_batch = vm["micro-batch"].as<int>();
    pm.activation_bytes = vm["activation-bytes"].as<double>();
    pm.p2p = p2p;
    if (pm.global_batch < 1 || pm.micro_batch < 1 || pm.activation_bytes < 0.0)
      throw InputError("--global-batch, --micro-batch must be >= 1 and --activation-bytes >= 0");
    table = pipeline_table(pm, vm["max-instances"].as<int>());
    if (table.rows().empty()) throw InputError("--layer-costs: no configuration runs");
    for (const auto& l : pm.layers) measured_layers.push_back(l.params);
  } else {
    table = read_profile_file(source);
  }
  CostConstants k;
  k.notice_s = vm["notice-seconds"].as<double>();
  k.interval_s = vm["interval-seconds"].as<double>();
  k.rendezvous_ms = vm["rendezvous-ms"].as<double>();
  k.process_start_ms = vm["process-start-ms"].as<double>();
  k.checkpoint_ms = vm["checkpoint-ms"].as<double>();
  k.layer_build_ms = vm["layer-build-ms"].as<double>();
  k.rebuild_add_ms = vm["rebuild-add-ms"].as<double>();
  k.rebuild_remove_ms = vm["rebuild-remove-ms"].as<double>();
  k.rollback_extra_ms = vm["rollback-extra-ms"].as<double>();
  k.rebuild_base_ms = vm["rebuild-base-ms"].as<double>();
  k.build_layers = vm["build-layers"].as<int>();
  k.embedding_bytes = vm["embedding-bytes"].as<double>();
  k.bytes_per_param = vm["bytes-per-param"].as<double>();
  k.spares_in_job = vm["spares-in-job"].as<bool>();
  const std::string transfer = vm["repartition-transfer"].as<std::string>();
  using Transfer = CostConstants::RepartitionTransfer;
  if (transfer == "sum") k.repartition_transfer = Transfer::sum;
  else if (transfer == "max") k.repartition_transfer = Transfer::max;
  else if (transfer == "last") k.repartition_transfer = Transfer::last;
  else throw InputError("--repartition-transfer: unknown '" + transfer + "' (sum, max or last)");
  const std::string mode = vm["cost-model"].as<std::string>();
  LayerParams layers;
  if (from_layers) {
    layers = measured_layers;
    if (vm["build-layers"].defaulted()) k.build_layers = static_cast<int>(layers.size()) - 2;
  } else if (mode == "paper") {
    // The artifact's layer sizes and model-build constants are GPT-1.5B's;
    // another model's table with them would give silently wrong migration costs.
    const std::string file = std::filesystem::path(source).filename().string();
    if (file.rfind("gpt-1.5b", 0) != 0)
      throw InputError("--cost-model paper: the paper's layer sizes are GPT-1.5B's; for " + file +
                       " use --cost-model shape with --layers/--hidden/--vocab/--seq-len");
    layers = paper_gpt_1_5b_layers();
  } else if (mode == "shape") {
    const int n_layer = vm["layers"].as<int>(), hidden = vm["hidden"].as<int>();
    const int vocab = vm["vocab"].as<int>(), seq = vm["seq-len"].as<int>();
    if (n_layer < 1 || hidden < 1 || vocab < 1 || seq < 1)
      throw InputError("--layers, --hidden, --vocab and --seq-len must be >= 1");
    layers = gpt_layers(n_layer, hidden, vocab, seq);
    if (vm["build-layers"].defaulted()) k.build_layers = n_layer;
    if (vm["embedding-bytes"].defaulted()) k.embedding_bytes = 4.0 * vocab * hidden;
  } else {
    throw InputError("--cost-model: unknown '" + mode + "' (paper or shape)");
  }
  ConfigSpace space{table.min_pp(), table.max_pp()};
  if (vm.count("min-pp")) space.min_pp = vm["min-pp"].as<int>();
  if (vm.count("max-pp")) space.max_pp = vm["max-pp"].as<int>();
  if (space.min_pp < 1 || space.max_pp < space.min_pp)
    throw InputError("--min-pp/--max-pp: need 1 <= min-pp <= max-pp");
  return CostModel(std::move(table), std::move(p2p), std::move(layers), k, space);
}

liveput::TransitionOptions transition_options_from(const po::variables_map& vm) {
  liveput::TransitionOptions o;
  const std::string name = vm["optimizer"].as<std::string>();
  if (name == "exact") o.targets = liveput::TargetSet::exact;
  else if (name == "scaled") o.targets = liveput::TargetSet::scaled;
  else if (name == "auto") o.targets = liveput::TargetSet::automatic;
  else throw InputError("--optimizer: unknown '" + name + "' (exact, scaled or auto)");
  o.scaled_slack = vm["scaled-slack"].as<double>();
  return o;
}

void check_planning_size(const liveput::CostModel& model, int nodes,
                         const liveput::TransitionOptions& options) {
  if (nodes > kMaxPlannedInstances)
    throw InputError("the planner is asked about " + std::to_string(nodes) +
                     " instances, more than " + std::to_string(kMaxPlannedInstances) +
                     " (its transition probabilities cost time in proportion to them)");
  const auto configs = std::count_if(model.configs().begin(), model.configs().end(),
                                     [&](const liveput::Config& c) { return c.instances() <= nodes; });
  // The scaled optimizer weighs a few targets per configuration, not all of them.
  const bool scaled = options.targets == liveput::TargetSet::scaled ||
                      (options.targets == liveput::TargetSet::automatic && nodes > options.exact_up_to);
  const long limit = scaled ? kMaxScaledConfigurations : kMaxPlannedConfigurations;
  if (configs > limit)
    throw InputError(std::to_string(nodes) + " instances give " + std::to_string(configs) +
                     " (D, P) configurations to plan over, more than " +
                     std::to_string(limit) +
                     " (memory and time grow with their square and cube): lower --max-instances "
                     "or --max-pp");
}

namespace {

// A window of the replay; end_hour <= 0 means the end of the trace.
using trace::Segment;

// full, a paper segment (hl, hh, lh, ll) or A-B in hours.
Segment named_segment(const std::string& item) {
  if (item == "full" || item == "all") return {"full", 0.0, 0.0};
  if (const auto paper = trace::paper_segment(item)) return *paper;
  const auto dash = item.find('-', 1);  // not a leading minus
  if (dash != std::string::npos) {
    const auto a = util::parse_number<double>(item.substr(0, dash));
    const auto b = util::parse_number<double>(item.substr(dash + 1));
    if (a && b && kTraceHours.contains(*a) && kTraceHours.contains(*b) && *a < *b)
      return {item, *a, *b};
  }
  throw InputError("--segments: '" + item + "' is not full, hl, hh, lh, ll or A-B (hours, " +
                   kTraceHours.text() + ", A < B)");
}

liveput::Span span_of(const trace::Series& series, const Segment& seg) {
  if (series.intervals.empty()) throw InputError("the trace has no intervals");
  if (seg.start_hour == 0.0 && seg.end_hour <= 0.0)
    return {0, static_cast<int>(series.intervals.size())};
  const double end = seg.end_hour > 0.0
                         ? seg.end_hour
                         : series.intervals.size() * series.interval_s / 3600.0;
  const trace::Series w = trace::window(series, seg.start_hour, end);
  return {w.first_index - series.first_index,
          w.first_index - series.first_index + static_cast<int>(w.intervals.size())};
}

const std::vector<std::string>& known_policies() {
  static const std::vector<std::string> names = {"ideal", "reactive", "bamboo", "parcae-oracle",
                                                 "parcae"};
  return names;
}

struct Run {
  Segment segment;
  liveput::Span span;
  std::vector<liveput::PolicyResult> results;
  double ideal = 0.0;  // for the share, whether or not ideal is a listed policy
};

liveput::PolicyResult run_policy(const std::string& policy, liveput::TransitionTable& table,
                                 const trace::Series& series, liveput::Span span,
                                 const liveput::SimulationOptions& options,
                                 const predict::Predictor& predictor) {
  using namespace liveput;
  const CostModel& m = table.model();
  if (policy == "ideal") return simulate_ideal(m, series, span);
  if (policy == "reactive") return simulate_reactive(m, series, span);
  if (policy == "bamboo") return simulate_bamboo(m, series, span, options);
  if (policy == "parcae-oracle")
    return simulate_liveput(table, series, span, OracleForecaster(), options, policy);
  return simulate_liveput(table, series, span, PredictorForecaster(predictor), options, policy);
}

void print_table(std::ostream& out, const std::vector<Run>& runs, double seconds) {
  out << std::left << std::setw(8) << "segment" << std::setw(15) << "policy" << std::right
      << std::setw(14) << "samples" << std::setw(9) << "ideal" << std::setw(10) << "reconfig"
      << std::setw(12) << "overhead_s" << "\n";
  for (const Run& run : runs) {
    const double ideal = run.ideal;
    for (const auto& r : run.results) {
      out << std::left << std::setw(8) << run.segment.name << std::setw(15) << r.policy
          << std::right << std::fixed << std::setprecision(1) << std::setw(14) << r.samples;
      if (ideal > 0.0)
        out << std::setw(8) << std::setprecision(1) << 100.0 * r.samples / ideal << "%";
      else
        out << std::setw(9) << "-";
      out << std::setw(10) << r.reconfigurations << std::setw(12) << std::setprecision(1)
          << r.overhead_s << "\n";
    }
  }
  out << "(" << std::setprecision(2) << seconds << " s)\n";
}

nlohmann::json to_json(const std::vector<Run>& runs) {
  nlohmann::json all = nlohmann::json::array();
  for (const Run& run : runs) {
    const double ideal = run.ideal;
    for (const auto& r : run.results) {
      nlohmann::json j = {{"policy", r.policy},
                          {"samples", r.samples},
                          {"share_of_ideal", ideal > 0.0 ? nlohmann::json(r.samples / ideal)
                                                         : nlohmann::json(nullptr)},
                          {"reconfigurations", r.reconfigurations},
                          {"overhead_seconds", r.overhead_s},
                          {"rollbacks", r.rollbacks},
                          {"idle_intervals", r.idle_intervals},
                          {"decision_ms", r.decision_ms},
                          {"intervals", run.span.end - run.span.begin}};
      if (runs.size() > 1 || run.segment.name != "full") j["segment"] = run.segment.name;
      all.push_back(j);
    }
  }
  return all;
}

std::string timeline_csv(const trace::Series& series, const std::vector<Run>& runs) {
  std::ostringstream out;
  out << "segment,interval,n,n_in,n_out";
  for (const auto& r : runs.front().results)
    out << "," << r.policy << "_dp," << r.policy << "_pp," << r.policy << "_samples";
  out << "\n";
  for (const Run& run : runs)
    for (int i = run.span.begin; i < run.span.end; ++i) {
      const auto& ev = series.intervals[i];
      out << run.segment.name << "," << series.first_index + i << "," << ev.n << "," << ev.n_in
          << "," << ev.n_out;
      for (const auto& r : run.results) {
        const auto& rec = r.timeline[i - run.span.begin];
        out << "," << rec.config.dp << "," << rec.config.pp << "," << rec.cumulative;
      }
      out << "\n";
    }
  return out.str();
}

// The figure's title: the trace, the windows replayed and where the costs came from.
std::string plot_title(const po::variables_map& vm, const std::vector<Run>& runs) {
  std::string windows;
  for (const Run& run : runs) {
    if (!windows.empty()) windows += ", ";
    std::ostringstream w;
    w << run.segment.name;
    if (run.segment.name != "full") w << " (" << run.segment.start_hour << "-" << run.segment.end_hour << " h)";
    windows += w.str();
  }
  std::string costs = "cost model";
  for (const char* source : {"profile", "layer-costs"})
    if (vm.count(source))
      costs = std::string(source) + " " +
              std::filesystem::path(vm[source].as<std::string>()).filename().string();
  return std::filesystem::path(vm["trace"].as<std::string>()).filename().string() + ", " + windows +
         ", " + costs;
}

}  // namespace

int run_simulate(int argc, char** argv) {
  po::options_description options("Options");
  options.add_options()
      ("trace", po::value<std::string>()->value_name("FILE"), "availability trace (ms,add|remove,node)")
      ("start-hour", number(kTraceHours), "replay from this hour of the trace")
      ("end-hour", number(kTraceEndHours), "replay up to this hour")
      ("segments", po::value<std::string>(),
       "comma-separated windows: full, hl, hh, lh, ll (../shared/traces/README.md) or A-B hours")
      ("look-ahead", number(kLookAhead)->default_value(12), "intervals the optimizer plans over")
      ("policies", po::value<std::string>()->default_value("ideal,reactive,bamboo,parcae-oracle,parcae"),
       "comma-separated: ideal, reactive, bamboo, parcae-oracle, parcae")
      ("predictor", po::value<std::string>(), "predictor of the parcae policy (default: the system's default)")
      ("history", number(closed(2, 1440))->default_value(12), "intervals the predictor looks back over")
      ("bamboo-overhead", number(closed_open(0.0, 1.0))->default_value(0.2),
       "bamboo's throughput loss from redundant computation (assumed; see docs/liveput.md)")
      ("sample-preemptions", number(closed<std::uint64_t>(0, UINT64_MAX)),
       "draw which instances each preemption takes instead of charging the expected cost")
      ("json", "print a JSON array, one object per policy (and segment)")
      ("timeline", po::value<std::string>()->value_name("OUT"),
       "write per interval N, events, each policy's configuration and cumulative samples (CSV)");
  add_cost_model_options(options);
  add_plot_option(options);
  po::variables_map vm;
  if (!parse_command_line(argc, argv,
                          "usage: parcae simulate --trace FILE --profile FILE [options]\n"
                          "Replays the trace under each policy; prints committed samples and the share of ideal.",
                          options, {}, vm))
    return 0;
  if (!vm.count("trace")) throw InputError("--trace is required");
  auto outputs = check_outputs(vm, {"trace", "profile", "layer-costs", "p2p"}, {{"timeline"}});
  const auto plot = plot_path_from(vm);
  const util::Stopwatch watch;
  const liveput::CostModel model = cost_model_from(vm);
  const trace::Series series =
      trace::discretise(trace::read_trace_file(vm["trace"].as<std::string>()),
                        model.constants().interval_s);
  check_planning_size(model, trace::summarise(series).n_max, transition_options_from(vm));

  std::vector<Segment> segments;
  if (vm.count("segments")) {
    if (vm.count("start-hour") || vm.count("end-hour"))
      throw InputError("--segments and --start-hour/--end-hour exclude each other");
    for (const auto& item : util::parse_list(vm["segments"].as<std::string>(), "--segments"))
      segments.push_back(named_segment(item));
  } else {
    const double a = vm.count("start-hour") ? vm["start-hour"].as<double>() : 0.0;
    const double b = vm.count("end-hour") ? vm["end-hour"].as<double>() : 0.0;
    segments.push_back({vm.count("start-hour") || vm.count("end-hour") ? "window" : "full", a, b});
  }
  const auto policies = util::parse_list(vm["policies"].as<std::string>(), "--policies");
  for (const auto& p : policies)
    if (std::find(known_policies().begin(), known_policies().end(), p) == known_policies().end())
      throw InputError("--policies: unknown policy '" + p + "'");
  liveput::SimulationOptions sim;
  sim.look_ahead = vm["look-ahead"].as<int>();
  sim.bamboo_overhead = vm["bamboo-overhead"].as<double>();
  if (vm.count("sample-preemptions")) sim.sample_seed = vm["sample-preemptions"].as<std::uint64_t>();
  predict::PredictorOptions popts;
  popts.history = vm["history"].as<int>();
  const auto predictor = predict::make_predictor(
      vm.count("predictor") ? vm["predictor"].as<std::string>() : predict::default_predictor_name(),
      popts);

  liveput::TransitionTable table(model, transition_options_from(vm));
  std::vector<Run> runs;
  for (const Segment& seg : segments) {
    Run run{seg, span_of(series, seg), {}, 0.0};
    run.ideal = liveput::simulate_ideal(model, series, run.span).samples;
    for (const auto& p : policies)
      run.results.push_back(run_policy(p, table, series, run.span, sim, *predictor));
    runs.push_back(std::move(run));
  }
  const double seconds = watch.seconds();
  if (vm.count("timeline")) {
    outputs.set("--timeline", timeline_csv(series, runs));
    outputs.commit();
    if (plot) plot_timeline(vm["timeline"].as<std::string>(), *plot, std::cerr, plot_title(vm, runs));
  }
  if (vm.count("json"))
    std::cout << to_json(runs).dump(2) << "\n";
  else
    print_table(std::cout, runs, seconds);
  return 0;
}

}  // namespace parcae::cli
