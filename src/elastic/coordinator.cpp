// The elastic job: rank 0's loop, and the whole job's entry (see job.hpp).
#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>

#include "parcae/elastic/control.hpp"
#include "parcae/elastic/job.hpp"
#include "parcae/elastic/live_costs.hpp"
#include "parcae/elastic/worker.hpp"
#include "parcae/error.hpp"
#include "parcae/liveput/predictor_forecaster.hpp"
#include "parcae/predict/predictor.hpp"
#include "parcae/runtime/groups.hpp"
#include "parcae/runtime/waiting.hpp"
#include "parcae/trace/trace.hpp"
#include "parcae/util/atomic_file.hpp"

namespace parcae::elastic {
namespace {

using Clock = std::chrono::steady_clock;
using runtime::ControlMessage;
using runtime::StepReport;

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

AvailabilitySource make_source(const ElasticConfig& e, int workers) {
  if (e.trace_path.empty()) {
    trace::GeneratorParams p = e.synthetic;
    if (p.capacity <= 0) p.capacity = workers;
    if (p.initial < 0 || p.initial > p.capacity) p.initial = p.capacity;
    return AvailabilitySource::synthetic(p, workers, e.availability_seed);
  }
  const auto trace = trace::read_trace_file(e.trace_path);
  const double per_hour = 3600.0 / e.trace_interval_s;
  const int first = e.start_hour >= 0 ? static_cast<int>(std::llround(e.start_hour * per_hour)) : 0;
  const int end = e.end_hour >= 0 ? static_cast<int>(std::llround(e.end_hour * per_hour)) : -1;
  return AvailabilitySource::replay(trace, e.trace_interval_s, workers, e.availability_seed, first,
                                    end);
}

std::vector<int> active_ranks(const Decision& d) {
  std::vector<int> ranks;
  if (!d.layout) return ranks;
  for (int rank = 1; rank <= d.layout->workers(); ++rank) {
    if (d.layout->placement_of(rank)) ranks.push_back(rank);
  }
  return ranks;
}

// Rank 0's books for one run.
class Coordinator {
 public:
  Coordinator(const runtime::TrainConfig& cfg, const ElasticConfig& e, const LiveCosts& costs,
              bool has_val, MPI_Comm world, std::ostream& out)
      : cfg_(cfg),
        data_has_val_(has_val),
        e_(e),
        world_(world),
        out_(out),
        workers_(world_size(world) - 1),
        source_(make_source(e, workers_)),
        log_cfg_(quiet(cfg)),
        log_(log_cfg_, out_),
        model_(live_cost_model(costs, cfg, workers_, interval_seconds(costs), e.profile_path,
                               e.notice_s)),
        table_(model_),
        predictor_(predict::make_predictor(
            e.predictor.empty() ? predict::default_predictor_name() : e.predictor,
            {e.history, workers_})),
        forecaster_(make_forecaster(e.policy, *predictor_)),
        controller_(table_, forecaster_.get(), balance_costs(costs), shard_bytes(cfg.model),
                    source_, {e.policy, e.look_ahead, e.notice_s > 0, e.hdf5_migration}),
        store_(costs.store) {
    if (!e.timeline_path.empty()) timeline_.emplace(e.timeline_path);
  }

  ElasticSummary run();

 private:
  static int world_size(MPI_Comm world) {
    int size = 0;
    MPI_Comm_size(world, &size);
    return size;
  }
  static runtime::TrainConfig quiet(runtime::TrainConfig cfg) {
    cfg.log_every = INT_MAX;  // the elastic run prints one line per interval instead
    return cfg;
  }
  static std::unique_ptr<liveput::Forecaster> make_forecaster(Policy p,
                                                              const predict::Predictor& pred) {
    if (p == Policy::parcae_oracle) return std::make_unique<liveput::OracleForecaster>();
    if (p == Policy::parcae) return std::make_unique<liveput::PredictorForecaster>(pred);
    return nullptr;
  }
  // Trace time in the cost model: an interval of K steps lasts K iterations of
  // the best configuration on every worker; a wall-clock interval, S seconds.
  double interval_seconds(const LiveCosts& costs) const;

  void broadcast(const ControlMessage& m) { runtime::broadcast(m, 0, world_); }
  // A report from `source` (or any of `waiting_for` with MPI_ANY_SOURCE),
  // hearing the workers' waiting notices meanwhile: a rank that stopped fails
  // the job by name after --stall-seconds (runtime::StallWatch).
  template <typename M>
  M receive_watched(int source, const std::vector<int>& waiting_for, int* from = nullptr) {
    const double since = MPI_Wtime();
    int sender = source;
    auto m = runtime::receive<M>(source, world_, &sender,
                                 [&] { stalls_.check(waiting_for, since); });
    stalls_.heard(sender);
    if (from != nullptr) *from = sender;
    return m;
  }
  double collect_migration(std::int64_t epoch);
  void collect_steps(const runtime::Layout& layout, std::int64_t first, int steps);
  void record(const nlohmann::json& j) {
    if (timeline_) timeline_->write(j.dump() + "\n");
  }
  void interval_line(const Decision& d, int steps, double migration_s, double train_s);
  double predicted_samples();
  void print_summary() const;

  const runtime::TrainConfig& cfg_;
  bool data_has_val_;
  const ElasticConfig& e_;
  MPI_Comm world_;
  std::ostream& out_;
  int workers_;
  AvailabilitySource source_;
  runtime::TrainConfig log_cfg_;
  runtime::ProgressLog log_;
  liveput::CostModel model_;
  liveput::TransitionTable table_;
  std::unique_ptr<predict::Predictor> predictor_;
  std::unique_ptr<liveput::Forecaster> forecaster_;
  Controller controller_;
  std::optional<util::AtomicFile> timeline_;
  runtime::Patience patience_{cfg_.stall_seconds, world_};
  runtime::Groups groups_{world_, 1, patience_};
  runtime::StallWatch stalls_{patience_};
  ControlMessage last_;  // the last decision sent
  std::int64_t epoch_ = 0, step_ = 0;
  ElasticSummary summary_;
  std::vector<double> step_seconds_;  // wall time of each step done, by step
  StoreSpeed store_;                  // what a checkpoint save or load costs
};

double Coordinator::interval_seconds(const LiveCosts& costs) const {
  if (e_.interval_seconds > 0) return e_.interval_seconds;
  const auto probe = live_cost_model(costs, cfg_, workers_, 1.0, e_.profile_path);
  const auto best = probe.best_config(workers_);
  const double rate = probe.samples_per_s(best);
  const double step_s = rate > 0 ? cfg_.global_batch / rate : 1.0;
  return std::max(1e-3, e_.interval_steps * step_s);
}

double Coordinator::collect_migration(std::int64_t epoch) {
  double slowest = 0;
  std::vector<int> missing;
  for (int rank = 1; rank <= workers_; ++rank) missing.push_back(rank);
  while (!missing.empty()) {
    int from = 0;
    const auto r = receive_watched<runtime::MigrationReport>(MPI_ANY_SOURCE, missing, &from);
    std::erase(missing, from);
    if (r.epoch != epoch) throw std::logic_error("elastic: a migration report of another epoch");
    slowest = std::max(slowest, r.seconds);
  }
  return slowest;
}

void Coordinator::collect_steps(const runtime::Layout& layout, std::int64_t first, int steps) {
  std::vector<int> reporters;
  for (int r = 0; r < layout.dp(); ++r) reporters.push_back(layout.rank_of(r, layout.pp() - 1));
  for (std::int64_t step = first; step < first + steps; ++step) {
    StepReport total;
    for (int source : reporters)
      runtime::merge(total, receive_watched<StepReport>(source, {source}));
    log_.step(total);
    summary_.steps.push_back(total);
    if (!std::isfinite(total.loss_sum)) {
      throw std::runtime_error("elastic: the loss of step " + std::to_string(step + 1) +
                               " is not finite");
    }
    if (static_cast<std::size_t>(step) >= step_seconds_.size()) step_seconds_.resize(step + 1);
    step_seconds_[step] = total.ms / 1000.0;
    if (data_has_val_ && runtime::eval_due(cfg_, static_cast<int>(step))) {
      runtime::EvalReport eval;
      for (int source : reporters)
        runtime::merge(eval, receive_watched<runtime::EvalReport>(source, {source}));
      log_.eval(eval);
    }
  }
}

void Coordinator::interval_line(const Decision& d, int steps, double migration_s, double train_s) {
  char line[256];
  const double samples_per_s = train_s > 0 ? steps * cfg_.global_batch / train_s : 0.0;
  const double loss = summary_.steps.empty() || steps == 0
                          ? 0.0
                          : summary_.steps.back().loss_sum / summary_.steps.back().micro_batches;
  std::snprintf(
      line, sizeof line,
      "interval %4d/%d | %2d instances (-%zu +%zu) | %dx%d | %-11s %7.3f s | step %6lld/%d"
      " | %7.1f samples/s | loss %.4f\n",
      d.interval + 1, source_.intervals(), controller_.alive_count(), d.event.preempted.size(),
      d.event.allocated.size(), d.config.dp, d.config.pp, to_string(d.plan.kind), migration_s,
      static_cast<long long>(step_), cfg_.steps, samples_per_s, loss);
  out_ << line << std::flush;
}

// What `parcae simulate` says of the same intervals under the same policy and
// the cost model measured on this job.
double Coordinator::predicted_samples() {
  if (summary_.intervals == 0) return 0.0;
  const liveput::Span span{0, summary_.intervals};
  if (e_.policy == Policy::reactive) {
    return liveput::simulate_reactive(model_, source_.series(), span).samples;
  }
  liveput::TransitionTable table(model_);
  liveput::SimulationOptions options;
  options.look_ahead = e_.look_ahead;
  return liveput::simulate_liveput(table, source_.series(), span, *forecaster_, options,
                                   to_string(e_.policy))
      .samples;
}

void Coordinator::print_summary() const {
  const double total = summary_.train_s + summary_.migrate_s + summary_.idle_s + 1e-12;
  char line[512];
  std::snprintf(line, sizeof line,
                "elastic run: %d intervals, %d reconfigurations (%d rollbacks), committed %lld "
                "samples (%lld steps)\n"
                "  time: training %.1f%%, migrating %.1f%%, idle %.1f%%; %.1f s of training "
                "rolled back and redone\n"
                "  the simulator predicts %.0f samples for this trace, policy and measured cost "
                "model (committed / predicted = %.2f)\n",
                summary_.intervals, summary_.reconfigurations, summary_.rollbacks,
                static_cast<long long>(summary_.committed_samples), static_cast<long long>(step_),
                100 * summary_.train_s / total, 100 * summary_.migrate_s / total,
                100 * summary_.idle_s / total, summary_.rolled_back_s, summary_.predicted_samples,
                summary_.predicted_samples > 0
                    ? summary_.committed_samples / summary_.predicted_samples
                    : 0.0);
  out_ << line << std::flush;
}

ElasticSummary Coordinator::run() {
  record({{"event", "start"},
          {"schema", "parcae.timeline"},
          {"schema_version", 1},
          {"policy", to_string(e_.policy)},
          {"trace", e_.trace_path.empty() ? "<synthetic>" : e_.trace_path},
          {"window", {e_.start_hour, e_.end_hour}},
          {"workers", workers_},
          {"interval_steps", e_.interval_steps},
          {"interval_seconds", e_.interval_seconds},
          {"model", cfg_.model.describe()},
          {"global_batch", cfg_.global_batch},
          {"identity_replay", source_.by_identity()},
          {"store_write_gbps", store_.write_gbps},
          {"store_read_gbps", store_.read_gbps}});
  out_ << "parcae train --elastic: " << cfg_.model.describe() << ", " << workers_
       << " workers, policy " << to_string(e_.policy) << ", " << source_.intervals()
       << " intervals of "
       << (e_.interval_steps > 0 ? std::to_string(e_.interval_steps) + " steps"
                                 : std::to_string(e_.interval_seconds) + " s")
       << "\n";
  for (int k = 0; k < source_.intervals() && step_ < cfg_.steps; ++k) {
    const auto started = Clock::now();
    const Decision d = controller_.decide(k);
    if (d.plan.kind == Reconfiguration::rollback) {
      // No checkpoint to go back to (yet): the redone steps start from the seed.
      for (std::int64_t s = 0; s < step_; ++s) summary_.rolled_back_s += step_seconds_.at(s);
      step_ = 0;
      ++summary_.rollbacks;
    }
    const std::int64_t epoch = epoch_++;
    int steps = 0;
    ControlMessage m;
    if (!d.training()) {
      m = idle_message(d, epoch, workers_);
    } else {
      steps = e_.interval_steps > 0
                  ? static_cast<int>(std::min<std::int64_t>(e_.interval_steps, cfg_.steps - step_))
                  : 1;
      m = control_message(d, epoch, workers_, step_, steps);
      if (d.plan.kind == Reconfiguration::rollback) m.state = ControlMessage::State::fresh;
    }
    broadcast(m);
    // Collective over the world (rank 0 takes no place), unless nobody moves.
    if (!keeps_layout(last_, m)) groups_.regroup(layout_of(m));
    last_ = m;
    const double migration_s = collect_migration(epoch);
    const auto trained_from = Clock::now();
    if (d.training()) {
      collect_steps(*d.layout, step_, steps);
      step_ += steps;
      // A wall-clock interval trains on, one step per message, while time is left.
      while (e_.interval_seconds > 0 && step_ < cfg_.steps &&
             seconds_between(started, Clock::now()) + step_seconds_.back() < e_.interval_seconds) {
        m.first_step = step_;
        m.steps = 1;
        broadcast(m);
        collect_steps(*d.layout, step_, 1);
        step_ += 1;
        ++steps;
      }
    }
    const double train_s = seconds_between(trained_from, Clock::now());
    if (!d.training() && e_.interval_seconds > 0) {
      // Nothing fits: the interval passes idle.
      const double left = e_.interval_seconds - seconds_between(started, Clock::now());
      if (left > 0) std::this_thread::sleep_for(std::chrono::duration<double>(left));
    }
    const bool changed = d.plan.kind != Reconfiguration::none;
    summary_.reconfigurations += changed && d.plan.kind != Reconfiguration::start;
    summary_.migrate_s += migration_s;
    summary_.train_s += train_s;
    if (!d.training()) summary_.idle_s += seconds_between(started, Clock::now());
    ++summary_.intervals;
    const auto& iv = source_.series().intervals[k];
    record({{"event", "interval"},
            {"interval", k},
            {"instances", iv.n},
            {"events", {{"preempted", iv.n_out}, {"allocated", iv.n_in}}},
            {"preempted", d.event.preempted},
            {"allocated", d.event.allocated},
            {"dp", d.config.dp},
            {"pp", d.config.pp},
            {"active", active_ranks(d)},
            {"steps", steps},
            {"samples", static_cast<std::int64_t>(steps) * cfg_.global_batch},
            {"step", step_},
            {"train_seconds", train_s},
            {"migration_seconds", migration_s}});
    if (changed) {
      record({{"event", "reconfigure"},
              {"interval", k},
              {"type", to_string(d.plan.kind)},
              {"dp", d.config.dp},
              {"pp", d.config.pp},
              {"bytes", d.plan.bytes()},
              {"seconds", migration_s},
              {"expected_seconds", d.expected_ms / 1000.0},
              {"sources", d.plan.sources()},
              {"destinations", d.plan.destinations()}});
    }
    interval_line(d, steps, migration_s, train_s);
  }
  ControlMessage done;
  done.finish = true;
  broadcast(done);
  log_.finish();
  summary_.committed_samples = step_ * cfg_.global_batch;
  summary_.predicted_samples = predicted_samples();
  record({{"event", "summary"},
          {"committed_samples", summary_.committed_samples},
          {"predicted_samples", summary_.predicted_samples},
          {"intervals", summary_.intervals},
          {"reconfigurations", summary_.reconfigurations},
          {"rollbacks", summary_.rollbacks},
          {"train_seconds", summary_.train_s},
          {"migration_seconds", summary_.migrate_s},
          {"rolled_back_seconds", summary_.rolled_back_s},
          {"idle_seconds", summary_.idle_s}});
  if (timeline_) timeline_->commit();
  print_summary();
  return summary_;
}

}  // namespace

void validate(const ElasticConfig& e, const runtime::TrainConfig& cfg, int workers) {
  if ((e.interval_steps > 0) == (e.interval_seconds > 0)) {
    throw InputError("--interval-steps and --interval-seconds: give exactly one");
  }
  if (workers < 1) {
    throw InputError("an elastic run needs mpirun with at least 2 ranks (rank 0 coordinates)");
  }
  if (e.look_ahead < 1) throw InputError("--look-ahead must be at least 1");
  if (e.notice_s < 0) throw InputError("--notice-seconds must not be negative");
  if (!(e.trace_interval_s > 0)) throw InputError("--trace-interval must be positive");
  if (e.start_hour >= 0 && e.end_hour >= 0 && e.end_hour <= e.start_hour) {
    throw InputError("--end-hour must be after --start-hour");
  }
  if (!e.predictor.empty()) predict::make_predictor(e.predictor, {e.history, workers});
  if (!e.profile_path.empty()) liveput::read_profile_file(e.profile_path);
  make_source(e, workers);  // a bad trace fails here, on every rank, before any message
  (void)cfg;
}

ElasticSummary run_elastic_job(const runtime::TrainConfig& cfg, const ElasticConfig& e,
                               const runtime::TrainData& data, std::ostream& out) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const LiveCosts costs = measure_live_costs(MPI_COMM_WORLD, cfg, e.measure_repeats);
  if (rank != 0) {
    ElasticWorker(cfg, data, MPI_COMM_WORLD).run();
    return {};
  }
  Coordinator coordinator(cfg, e, costs, data.val.has_value(), MPI_COMM_WORLD, out);
  return coordinator.run();
}

}  // namespace parcae::elastic
