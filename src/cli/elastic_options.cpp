// The options of an elastic training run (see elastic_options.hpp).
#include "elastic_options.hpp"

#include <cctype>

#include "number_option.hpp"
#include "parcae/error.hpp"
#include "parcae/runtime/membership.hpp"

namespace parcae::cli {

void add_elastic_options(po::options_description& o) {
  const elastic::ElasticConfig d;
  // clang-format off
  o.add_options()
      ("elastic", po::bool_switch(),
       "replay availability and let the liveput optimizer choose D x P per interval "
       "(rank 0 coordinates; --dp/--pp do not apply)")
      ("trace", po::value<std::string>()->value_name("FILE"),
       "availability trace to replay (Parcae CSV; implies --elastic); default: the built-in "
       "synthetic generator with as many instances as workers")
      ("start-hour", number(closed(0.0, 1e6)), "replay the trace from this hour")
      ("end-hour", number(closed(0.0, 1e6)), "replay the trace up to this hour")
      ("trace-interval", number(closed(1e-3, 86400.0))->default_value(d.trace_interval_s),
       "seconds of trace time per interval")
      ("interval-steps", number(closed(1, 1'000'000)),
       "each interval runs this many optimizer steps (deterministic; default 5)")
      ("interval-seconds", number(closed(1e-3, 86400.0)),
       "each interval lasts this many seconds of wall clock (a real replay)")
      ("policy", po::value<std::string>()->default_value("parcae"),
       "parcae | parcae-oracle | reactive (the throughput-best configuration on every change, "
       "each change a real checkpoint save + load through --checkpoint-dir: the baseline)")
      ("predictor", po::value<std::string>(), "availability predictor (default: the default one)")
      ("look-ahead", number(closed(1, 64))->default_value(d.look_ahead),
       "intervals the optimizer plans over")
      ("history", number(closed(1, 1000))->default_value(d.history),
       "intervals the predictor looks back over")
      ("notice-seconds", number(closed(0.0, 3600.0))->default_value(d.notice_s),
       "preemption notice: > 0 lets a doomed rank send its shards before it goes")
      ("migration", po::value<std::string>()->default_value("live"),
       "live | hdf5 (every change that moves state is a real checkpoint save + load through "
       "--checkpoint-dir instead of rank-to-rank transfers, and decisions are charged so)")
      ("profile", po::value<std::string>()->value_name("FILE"),
       "throughput table instead of measuring the job (dp,pp,iteration_ms,samples_per_s)")
      ("timeline", po::value<std::string>()->value_name("OUT"),
       "write the run's timeline as JSON Lines (one record per interval and reconfiguration)")
      ("availability-seed", number(closed<std::uint64_t>(0, UINT64_MAX))->default_value(1),
       "seed of the synthetic trace and of which ranks a scaled trace preempts")
      ("synthetic-intervals", number(closed(1, 100'000))->default_value(d.synthetic.intervals),
       "length of the built-in synthetic trace")
      ("synthetic-preempt-hazard", number(closed(0.0, 1.0))->default_value(d.synthetic.preempt_hazard),
       "preemption events per alive instance per interval (synthetic trace)")
      ("recovery", po::bool_switch(),
       "survive worker processes that die (needs mpirun --enable-recovery, which turns it on): "
       "a rank silent for --death-seconds is taken for dead and the job goes on with the "
       "survivors")
      ("death-seconds", number(closed(0.5, 3600.0))->default_value(d.death_s),
       "with recovery: a worker silent this long (while others wait for it) is dead; must "
       "exceed the longest computation between two messages, and be below --stall-seconds")
      ("join-workers", number(closed(0, 4096))->default_value(d.join_workers),
       "up to this many new worker processes may join the running job: when the trace has "
       "more instances alive than the world has workers, rank 0 spawns them (MPI_Comm_spawn "
       "of this same command) and merges them in")
      ("join-hosts", po::value<std::string>()->value_name("H1,H2,..."),
       "hosts of the joining workers, in turn (joiner i on host i mod count; default: mpirun "
       "places them, e.g. in its --host slots)")
      ("synthetic-alloc-rate", number(closed(0.0, 1.0))->default_value(d.synthetic.alloc_rate),
       "allocation events per free slot per interval (synthetic trace)");
  // clang-format on
}

namespace {

// A host name as mpirun takes it: letters, digits, '-', '_' and '.'.
bool host_name(const std::string& h) {
  if (h.empty()) return false;
  for (char c : h)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return false;
  return true;
}

std::vector<std::string> join_hosts_from(const std::string& list) {
  std::vector<std::string> hosts;
  std::size_t at = 0;
  while (true) {
    const auto comma = list.find(',', at);
    hosts.push_back(list.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
    if (!host_name(hosts.back())) {
      throw InputError("--join-hosts: '" + hosts.back() + "' is not a host name (give H1,H2,... "
                       "of letters, digits, '-', '_', '.')");
    }
    if (comma == std::string::npos) return hosts;
    at = comma + 1;
  }
}

}  // namespace

std::optional<elastic::ElasticConfig> elastic_config_from(const po::variables_map& vm) {
  const bool joins = !vm["join-workers"].defaulted() || vm.count("join-hosts");
  if (!vm["elastic"].as<bool>() && !vm.count("trace")) {
    if (joins) throw InputError("--join-workers and --join-hosts apply to an elastic run (--elastic or --trace)");
    return std::nullopt;
  }
  for (const char* fixed : {"dp", "pp"}) {
    if (!vm[fixed].defaulted()) {
      throw InputError(std::string("--") + fixed +
                       " does not apply to an elastic run: the optimizer chooses D x P");
    }
  }
  elastic::ElasticConfig e;
  if (vm.count("trace")) e.trace_path = vm["trace"].as<std::string>();
  if (vm.count("start-hour")) e.start_hour = vm["start-hour"].as<double>();
  if (vm.count("end-hour")) e.end_hour = vm["end-hour"].as<double>();
  e.trace_interval_s = vm["trace-interval"].as<double>();
  if (vm.count("interval-steps") && vm.count("interval-seconds")) {
    throw InputError("--interval-steps and --interval-seconds: give one, not both");
  }
  if (vm.count("interval-seconds")) {
    e.interval_seconds = vm["interval-seconds"].as<double>();
  } else {
    e.interval_steps = vm.count("interval-steps") ? vm["interval-steps"].as<int>() : 5;
  }
  e.policy = elastic::parse_policy(vm["policy"].as<std::string>());
  if (vm.count("predictor")) e.predictor = vm["predictor"].as<std::string>();
  e.look_ahead = vm["look-ahead"].as<int>();
  e.history = vm["history"].as<int>();
  e.notice_s = vm["notice-seconds"].as<double>();
  const auto migration = vm["migration"].as<std::string>();
  if (migration != "live" && migration != "hdf5") {
    throw InputError("--migration: unknown '" + migration + "' (live, hdf5)");
  }
  e.hdf5_migration = migration == "hdf5";
  if (vm.count("profile")) e.profile_path = vm["profile"].as<std::string>();
  if (vm.count("timeline")) e.timeline_path = vm["timeline"].as<std::string>();
  e.availability_seed = vm["availability-seed"].as<std::uint64_t>();
  e.synthetic.intervals = vm["synthetic-intervals"].as<int>();
  e.synthetic.preempt_hazard = vm["synthetic-preempt-hazard"].as<double>();
  e.synthetic.alloc_rate = vm["synthetic-alloc-rate"].as<double>();
  e.recovery = vm["recovery"].as<bool>() || runtime::launched_with_recovery();
  if (e.recovery && !runtime::launched_with_recovery()) {
    throw InputError("--recovery needs mpirun --enable-recovery (plain mpirun ends the whole "
                     "job when a rank dies)");
  }
  e.death_s = vm["death-seconds"].as<double>();
  e.join_workers = vm["join-workers"].as<int>();
  if (vm.count("join-hosts")) e.join_hosts = join_hosts_from(vm["join-hosts"].as<std::string>());
  if (e.recovery && !(e.death_s < vm["stall-seconds"].as<double>())) {
    throw InputError("--death-seconds must be below --stall-seconds");
  }
  return e;
}

}  // namespace parcae::cli
