// The elastic job: rank 0's loop, and the whole job's entry (see job.hpp).
#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>
#include <type_traits>

#include "parcae/ckpt/paths.hpp"
#include "parcae/elastic/control.hpp"
#include "parcae/elastic/job.hpp"
#include "parcae/elastic/join.hpp"
#include "parcae/elastic/rank_map.hpp"
#include "parcae/elastic/elastic_checkpoints.hpp"
#include "parcae/runtime/checkpoint_writing.hpp"
#include "parcae/elastic/live_costs.hpp"
#include "parcae/elastic/worker.hpp"
#include "parcae/error.hpp"
#include "parcae/liveput/predictor_forecaster.hpp"
#include "parcae/predict/predictor.hpp"
#include "parcae/elastic/recovery.hpp"
#include "parcae/runtime/groups.hpp"
#include "parcae/runtime/liveness.hpp"
#include "parcae/runtime/membership.hpp"
#include "parcae/runtime/postbox.hpp"
#include "parcae/runtime/step_end_agreement.hpp"
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
              bool has_val, MPI_Comm world, Joins& joins, std::ostream& out,
              runtime::RequestSource requests)
      : cfg_(cfg),
        data_has_val_(has_val),
        e_(e),
        world_(world),
        joins_(joins),
        out_(out),
        workers_(world_size(world) - 1 + e.join_workers),
        present_(world_size(world) - 1),
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
                    source_, {e.policy, e.look_ahead, e.notice_s > 0, e.hdf5_migration, present_}),
        store_(costs.store),
        requests_(std::move(requests)) {
    if (!e.timeline_path.empty()) timeline_.emplace(e.timeline_path);
    if (!cfg.start.step_dir.empty()) {
      // Resumed: the checkpoint's step is done and on disk, and the trace goes
      // on where it was taken; the first decision loads it into its layout.
      step_ = checkpointed_ = cfg.start.step;
      first_interval_ = std::min(e.start_at.interval, source_.intervals());
      resume_steps_done_ = e.start_at.steps_done;
      controller_.begin_at(first_interval_);
    }
  }

  ElasticSummary run();
  MPI_Comm world() const { return world_; }  // the newest merged world once workers joined

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
  // When this run checkpoints and what one costs it, for its prediction.
  liveput::CheckpointCadence checkpoint_cadence() const;

  // To every living worker, point to point and without waiting (a world
  // broadcast would hang on a dead member; a dead worker never blocks rank 0),
  // with the ranks it names in the world's numbering (rank_map.hpp), or in
  // `numbering`: a decision with joiners names the ranks of the world it makes.
  template <typename M>
  void tell_workers(const M& m, const RankMap* numbering = nullptr) {
    for (int rank : living_workers()) tell(m, rank, numbering);
  }
  template <typename M>
  void tell(const M& m, int job_rank, const RankMap* numbering = nullptr) {
    if constexpr (std::is_same_v<M, ControlMessage>) {
      ControlMessage c = in_comm_ranks(m, numbering ? *numbering : ranks_);
      c.liveness = liveness_address();
      postbox_.post(c, ranks_.comm_rank(job_rank), world_);
    } else if constexpr (std::is_same_v<M, runtime::Survivors> ||
                         std::is_same_v<M, runtime::AbortStep>) {
      postbox_.post(in_comm_ranks(m, numbering ? *numbering : ranks_), ranks_.comm_rank(job_rank),
                    world_);
    } else {
      postbox_.post(m, ranks_.comm_rank(job_rank), world_);
    }
  }
  // The world that spawning `joiners` processes over the living ranks makes.
  RankMap joined_ranks(int joiners) const {
    std::vector<int> living = living_workers(), joined;
    living.insert(living.begin(), 0);
    for (int r = present_ + 1; r <= present_ + joiners; ++r) joined.push_back(r);
    return RankMap::joined(living, joined);
  }
  std::vector<int> living_workers() const;
  // A report from `source` (or any of `waiting_for` with MPI_ANY_SOURCE),
  // hearing the workers' waiting notices meanwhile: a rank that stopped fails
  // the job by name after --stall-seconds (runtime::StallWatch), or, in a job
  // that recovers, is taken for dead after --death-seconds (RankLost).
  // Ranks in and out are job ranks.
  template <typename M>
  M receive_watched(int source, const std::vector<int>& waiting_for, int* from = nullptr) {
    const double since = MPI_Wtime();
    int sender = source == MPI_ANY_SOURCE ? source : ranks_.comm_rank(source);
    auto m = runtime::receive<M>(sender, world_, &sender, [&] { watch(waiting_for, since); });
    stalls_.heard(sender);
    if (from != nullptr) *from = ranks_.job_rank(sender);
    return m;
  }
  void watch(const std::vector<int>& waiting_for, double since);
  // In a job that recovers: listens for the workers' liveness connections
  // (runtime/liveness.hpp), or says once why it cannot (silence alone then).
  void listen_for_liveness();
  runtime::LivenessAddress liveness_address() const {
    return liveness_ ? liveness_->address() : runtime::LivenessAddress{};
  }
  // One interval's decision carried out and trained; a death during it is
  // recovered from and the interval goes on with the survivors.
  struct Outcome {
    Decision decision;
    int steps = 0;
    double migration_s = 0, train_s = 0;
    double rolled_back_s = 0;
    bool stopped = false;  // a signal's request stopped the job mid-interval
  };
  Outcome carry_out(int k, Decision d, Clock::time_point started);
  // Before interval k's decision: processes to spawn for the instances the
  // source has alive beyond the world's workers (join.hpp).
  void plan_joins(int k);
  // Right after the workers got `m`: spawn its joiners with them, merge, and
  // make the merged communicator the world (numbered `grown`); each joiner
  // gets its JoinSpawn and `m`.
  void take_in_joiners(const ControlMessage& m, const RankMap& grown);
  Outcome attempt(const Decision& d, Clock::time_point started);
  // Whether the interval orders another step, `ordered` asked for so far: an
  // --interval-steps one until it has `planned`, a wall-clock one while its
  // time lasts (it orders a step only once the one before is in).
  bool more_steps(int ordered, int planned, Clock::time_point started) const;
  // `how`: how the deaths became known (RankLost::how).
  Decision recover(int k, std::vector<int> dead, std::string how);
  Decision recover_once(int k, const std::vector<int>& dead, const std::string& how);
  // `dead`: a rank that died, of whose messages only the step reports (a few
  // bytes, sent whole before it died) are read, those that have come.
  void drain_stale_reports(int rank, bool dead = false);
  double collect_migration(std::int64_t epoch);
  void collect_steps(const runtime::Layout& layout, std::int64_t first, int steps);
  // Logs step `step` from the reports of it in unlogged_ (and drops them).
  void log_step(std::int64_t step);
  void log_finished_steps();
  void collect_checkpoint(const runtime::Layout& layout, std::int64_t steps_done);
  // The parts the savers of `m` write of the checkpoint of m.first_step,
  // taken at `at` of the trace, then its manifest; `why` for the timeline.
  void collect_store_checkpoint(const ControlMessage& m, const TracePosition& at,
                                const char* why);
  // Between interval k and the next: the signals' requests (this rank's and
  // the workers' relayed ones) since the last look, kept until answered.
  bool asked_to_checkpoint();
  // Whether --checkpoint-seconds have passed since the newest checkpoint (or the start).
  bool clock_due() const {
    return cfg_.checkpoints.every_seconds > 0 &&
           seconds_between(last_checkpoint_, Clock::now()) >= cfg_.checkpoints.every_seconds;
  }
  // Answers them (or the clock: `why`) in interval k: the layout in place
  // saves the state as the checkpoint taken at `at` of the trace, unless the
  // newest complete checkpoint already holds it. Returns whether the job stops.
  bool answer_requests(int k, const char* why, const TracePosition& at);
  // Where the trace stands after the steps logged so far.
  TracePosition position_now() const {
    return position_after(interval_, steps_into_, e_.interval_steps);
  }
  void record(const nlohmann::json& j) {
    if (timeline_) timeline_->write(j.dump() + "\n");
  }
  void interval_line(const Decision& d, int steps, double migration_s, double train_s);
  liveput::PolicyResult prediction(const liveput::CostModel& model);
  // Books the interval's training against the cost model's rate (observed_speed).
  void book_speed(const Decision& d, int steps, double train_s);
  void print_summary() const;

  const runtime::TrainConfig& cfg_;
  bool data_has_val_;
  const ElasticConfig& e_;
  MPI_Comm world_;  // MPI_COMM_WORLD, or the merged world once workers joined
  RankMap ranks_{world_size(world_)};  // job ranks in world_ (the stall watch counts in world_'s)
  Joins& joins_;
  std::ostream& out_;
  int workers_;   // the ranks the source knows: the world's workers and those that may join
  int present_;   // worker ranks 1..present_ have a process
  int joiners_ = 0;  // processes started for the next decision to take in
  std::vector<std::string> join_hosts_;  // where they run
  double spawn_s_ = 0;                   // how long starting them took
  int refused_up_to_ = 0;  // a failed spawn was for job ranks up to this one
  AvailabilitySource source_;
  runtime::TrainConfig log_cfg_;
  runtime::ProgressLog log_;
  liveput::CostModel model_;
  liveput::TransitionTable table_;
  std::unique_ptr<predict::Predictor> predictor_;
  std::unique_ptr<liveput::Forecaster> forecaster_;
  Controller controller_;
  std::optional<util::AtomicFile> timeline_;
  runtime::Patience patience_ = cfg_.patience(world_);
  runtime::Groups groups_{world_, 1, patience_};
  runtime::StallWatch stalls_{patience_};
  runtime::Postbox postbox_;
  std::vector<int> dead_;  // worker ranks whose process died, ascending
  std::vector<int> reporters_;      // the ranks that report the steps being trained
  std::vector<std::pair<int, StepReport>> unlogged_;  // (reporter, report) of steps not yet logged
  // The workers' liveness connections, watched until the job is over.
  std::optional<runtime::LivenessListener> liveness_;
  ControlMessage last_;  // the last decision sent
  std::int64_t epoch_ = 0, step_ = 0;
  std::int64_t checkpointed_ = 0;  // steps done at the newest complete checkpoint (0: none)
  ElasticSummary summary_;
  std::vector<double> step_seconds_;  // wall time of each step done, by step
  StoreSpeed store_;                  // what a checkpoint save or load costs
  double observed_samples_ = 0;       // trained (redone steps too), for observed_speed
  double modelled_samples_ = 0;       // the cost model's rate for the same training time
  runtime::RequestSource requests_;    // the signals' requests on this rank
  runtime::StepEnd asked_ = runtime::StepEnd::train_on;  // heard, not yet answered
  std::int64_t asked_at_ = 0;  // the steps done when rank 0 heard it
  int first_interval_ = 0;     // the first interval decided (a resumed run's checkpoint's)
  int resume_steps_done_ = 0;  // of it, the steps the checkpoint already holds
  int interval_ = 0;           // the interval being carried out
  int steps_into_ = 0;         // its steps logged in the current attempt
  Clock::time_point last_checkpoint_ = Clock::now();  // for --checkpoint-seconds
};

// The model's rate for the layout, less the stalls of step checkpoints (as
// the prediction charges them), against what the interval trained.
void Coordinator::book_speed(const Decision& d, int steps, double train_s) {
  const double rate = model_.samples_per_s(d.config);
  if (!d.training() || steps <= 0 || train_s <= 0 || rate <= 0) return;
  observed_samples_ += static_cast<double>(steps) * cfg_.global_batch;
  modelled_samples_ += rate * liveput::step_checkpoint_share(checkpoint_cadence(), rate) * train_s;
}

liveput::CheckpointCadence Coordinator::checkpoint_cadence() const {
  liveput::CheckpointCadence c;
  const auto& k = cfg_.checkpoints;
  c.on_change = e_.policy == Policy::reactive || e_.hdf5_migration;
  if (k.dir.empty()) return c;  // nothing is ever saved: a rollback starts from the seed
  c.every_samples = static_cast<double>(k.every_steps) * cfg_.global_batch;
  c.every_s = k.every_seconds;
  double state_bytes = 0;
  for (const auto b : shard_bytes(cfg_.model)) state_bytes += static_cast<double>(b);
  c.save_ms = store_write_ms(store_, state_bytes);
  return c;
}

double Coordinator::interval_seconds(const LiveCosts& costs) const {
  if (e_.interval_seconds > 0) return e_.interval_seconds;
  const auto probe = live_cost_model(costs, cfg_, workers_, 1.0, e_.profile_path);
  const auto best = probe.best_config(workers_);
  const double rate = probe.samples_per_s(best);
  const double step_s = rate > 0 ? cfg_.global_batch / rate : 1.0;
  return std::max(1e-3, e_.interval_steps * step_s);
}

std::vector<int> Coordinator::living_workers() const {
  std::vector<int> ranks;
  for (int rank = 1; rank <= present_; ++rank)
    if (!std::binary_search(dead_.begin(), dead_.end(), rank)) ranks.push_back(rank);
  return ranks;
}

void Coordinator::watch(const std::vector<int>& waiting_for, double since) {
  const auto waited_on = ranks_.comm_ranks(waiting_for);
  if (cfg_.death_seconds <= 0) return stalls_.check(waited_on, since);
  const auto not_living = [&](int r) {
    return r == 0 || r > present_ || std::binary_search(dead_.begin(), dead_.end(), r);
  };
  // A closed connection is a death now, whoever waits for the rank.
  if (liveness_) {
    auto closed = liveness_->lost();
    std::erase_if(closed, not_living);
    if (!closed.empty()) throw runtime::RankLost(closed, "its liveness connection closed");
  }
  auto silent = ranks_.job_ranks(stalls_.silent_for(cfg_.death_seconds, waited_on, since));
  std::erase_if(silent, not_living);
  if (!silent.empty()) {
    throw runtime::RankLost(silent, "silent past " + std::to_string(cfg_.death_seconds) + " s");
  }
}

void Coordinator::listen_for_liveness() {
  std::string error;
  liveness_ = runtime::LivenessListener::open(&error);
  if (!liveness_) {
    out_ << "warning: cannot listen for the workers' liveness connections (" << error
         << "): a dead worker is found by its silence alone (--death-seconds), and a dead "
            "coordinator by the workers' --stall-seconds\n" << std::flush;
  }
}

double Coordinator::collect_migration(std::int64_t epoch) {
  double slowest = 0;
  std::vector<int> missing = living_workers();
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
  reporters_.clear();
  unlogged_.clear();
  for (int r = 0; r < layout.dp(); ++r) reporters_.push_back(layout.rank_of(r, layout.pp() - 1));
  for (std::int64_t step = first; step < first + steps; ++step) {
    // Kept until the step is logged: a death meanwhile logs it still when
    // every replica finished it (log_finished_steps).
    for (int source : reporters_)
      unlogged_.emplace_back(source, receive_watched<StepReport>(source, {source}));
    log_step(step);
    if (data_has_val_ && runtime::eval_due(cfg_, static_cast<int>(step))) {
      runtime::EvalReport eval;
      for (int source : reporters_)
        runtime::merge(eval, receive_watched<runtime::EvalReport>(source, {source}));
      log_.eval(eval);
    }
    if (checkpoint_due(cfg_, step + 1)) collect_checkpoint(layout, step + 1);
  }
}

void Coordinator::log_step(std::int64_t step) {
  StepReport total;
  for (int source : reporters_)  // in the replicas' order, however they came
    for (const auto& [from, r] : unlogged_)
      if (from == source && r.step == step) runtime::merge(total, r);
  std::erase_if(unlogged_, [&](const auto& r) { return r.second.step <= step; });
  log_.step(total);
  summary_.steps.push_back(total);
  if (!std::isfinite(total.loss_sum)) {
    throw std::runtime_error("elastic: the loss of step " + std::to_string(step + 1) +
                             " is not finite");
  }
  if (static_cast<std::size_t>(step) >= step_seconds_.size()) step_seconds_.resize(step + 1);
  step_seconds_[step] = total.ms / 1000.0;
  step_ = step + 1;  // logged: a recovery never goes on past it
  ++steps_into_;
}

// A step every replica finished before a death, whose reports came in (some
// maybe only with the survivors' reports, drained after them): the survivors'
// state is at it, so it is logged and the job goes on after it. Not a step
// whose evaluation or checkpoint is due (their reports were given up).
void Coordinator::log_finished_steps() {
  while (!reporters_.empty()) {
    const auto reported = std::count_if(unlogged_.begin(), unlogged_.end(),
                                        [&](const auto& r) { return r.second.step == step_; });
    if (reported < static_cast<std::ptrdiff_t>(reporters_.size()) ||
        (data_has_val_ && runtime::eval_due(cfg_, static_cast<int>(step_))) ||
        checkpoint_due(cfg_, step_ + 1))
      break;
    log_step(step_);
  }
  unlogged_.clear();
  reporters_.clear();  // the next decision's layout reports anew
}

// Every stage's first replica reports its shards of the checkpoint after
// `steps_done` steps; then the manifest makes it complete.
void Coordinator::collect_checkpoint(const runtime::Layout& layout, std::int64_t steps_done) {
  std::vector<runtime::ShardsSaved> stages;
  for (int s = 0; s < layout.pp(); ++s) {
    const int writer = layout.rank_of(0, s);
    stages.push_back(receive_watched<runtime::ShardsSaved>(writer, {writer}));
    if (stages.back().step != steps_done) {
      throw std::logic_error("elastic: rank " + std::to_string(writer) + " saved step " +
                             std::to_string(stages.back().step) + ", not " +
                             std::to_string(steps_done));
    }
  }
  complete_checkpoint(cfg_, layout.dp(), layout.pp(), workers_, stages, position_now());
  checkpointed_ = steps_done;
  last_checkpoint_ = Clock::now();
  record({{"event", "checkpoint"}, {"step", steps_done}, {"dp", layout.dp()}, {"pp", layout.pp()}});
}

// A change through the store: the savers named in `m` report their parts of
// the checkpoint of the current step; the manifest makes it complete before
// rank 0 enters the regroup, so every worker, which loads only after the
// regroup, finds it whole.
void Coordinator::collect_store_checkpoint(const ControlMessage& m, const TracePosition& at,
                                           const char* why) {
  std::vector<runtime::ShardsSaved> parts;
  for (const auto& save : m.saves) {
    parts.push_back(receive_watched<runtime::ShardsSaved>(save.rank, {save.rank}));
    if (parts.back().step != m.first_step) {
      throw std::logic_error("elastic: rank " + std::to_string(save.rank) + " saved step " +
                             std::to_string(parts.back().step) + " for a change at step " +
                             std::to_string(m.first_step));
    }
  }
  complete_checkpoint(cfg_, std::max(1, last_.dp), static_cast<int>(parts.size()), workers_,
                      parts, at);
  checkpointed_ = m.first_step;
  last_checkpoint_ = Clock::now();
  record({{"event", "checkpoint"}, {"step", m.first_step}, {"for", why}, {"parts", parts.size()},
          {"interval", at.interval}, {"steps_into_interval", at.steps_done}});
}

// The interval's body, again after each recovery.
Coordinator::Outcome Coordinator::carry_out(int k, Decision d, Clock::time_point started) {
  while (true) {
    try {
      return attempt(d, started);
    } catch (const runtime::RankLost& lost) {
      d = recover(k, lost.ranks, lost.how);
    }
  }
}

Coordinator::Outcome Coordinator::attempt(const Decision& d, Clock::time_point started) {
  Outcome o{d};
  if (d.plan.kind == Reconfiguration::rollback) {
    // Back to the newest complete checkpoint (none yet: the seed); the steps
    // after it are redone.
    const std::int64_t back_to = std::min(checkpointed_, step_);
    for (std::int64_t s = back_to; s < step_; ++s) o.rolled_back_s += step_seconds_.at(s);
    step_ = back_to;
  }
  const std::int64_t epoch = epoch_++;
  // A resumed run's first interval trains only the steps its checkpoint lacks.
  steps_into_ = resume_steps_done_;
  resume_steps_done_ = 0;
  ControlMessage m;
  // The steps of an --interval-steps interval; a wall-clock one trains while its time lasts.
  const int planned = e_.interval_steps > 0
                          ? static_cast<int>(std::min<std::int64_t>(
                                e_.interval_steps - steps_into_, cfg_.steps - step_))
                          : 1;
  if (!d.training()) {
    m = idle_message(d, epoch, workers_);
  } else {
    m = control_message(d, epoch, workers_, step_, 1);  // and one step per message after it
    // A rollback, or the start of a resumed run: from the checkpoint of step_.
    if (d.plan.kind == Reconfiguration::rollback || d.plan.kind == Reconfiguration::start) {
      m.state = step_ > 0 ? ControlMessage::State::checkpoint : ControlMessage::State::fresh;
    }
    // The newest complete checkpoint holds this very state: load it, save nothing.
    if (m.state == ControlMessage::State::through_store && checkpointed_ == step_ && step_ > 0)
      m.saves.clear();
  }
  m.joiners = joiners_;
  if (m.joiners > 0) {
    const RankMap grown = joined_ranks(m.joiners);
    tell_workers(m, &grown);
    take_in_joiners(m, grown);
  } else {
    tell_workers(m);
  }
  if (m.state == ControlMessage::State::through_store && !m.saves.empty())
    collect_store_checkpoint(m, position_now(), "reconfiguration");
  // Collective over the living ranks (rank 0 takes no place), unless nobody moves.
  if (!keeps_layout(last_, m)) groups_.regroup(layout_of(m));
  last_ = m;
  o.migration_s = collect_migration(epoch);
  const auto trained_from = Clock::now();
  if (d.training()) {
    // The interval trains on one step per message, so a request waits a step
    // or two, not the interval. An --interval-steps interval keeps one step
    // ordered ahead of the one in training, so the workers never wait for the
    // next message. The same epoch with saves would be a checkpoint asked for
    // (ElasticWorker::obey): the change's saves are done, so none.
    m.saves.clear();
    m.joiners = 0;
    int ordered = 1;  // the decision's own step
    const auto order_step = [&] {
      m.first_step = step_ + (ordered - o.steps);
      m.steps = 1;
      tell_workers(m);
      ++ordered;
    };
    if (e_.interval_steps > 0 && more_steps(ordered, planned, started)) order_step();
    bool asked = false;
    while (o.steps < ordered) {
      collect_steps(*d.layout, step_, 1);
      ++o.steps;
      asked = asked || asked_to_checkpoint();
      if (asked && o.steps == ordered) {  // nothing in flight: the state is the step's
        // A wall-clock interval ends early and the request is answered before
        // the next one, as is one heard at an interval's last step; within an
        // --interval-steps interval it is answered here, and a run resumed
        // from that checkpoint goes on at this step of the interval.
        if (e_.interval_seconds > 0 || !more_steps(ordered, planned, started)) break;
        if (answer_requests(interval_, "signal", position_now())) {
          o.stopped = true;
          break;
        }
        asked = false;
      }
      if (!asked && more_steps(ordered, planned, started)) order_step();
    }
  }
  o.train_s = seconds_between(trained_from, Clock::now());
  return o;
}

bool Coordinator::more_steps(int ordered, int planned, Clock::time_point started) const {
  if (e_.interval_steps > 0) return ordered < planned;
  return step_ < cfg_.steps &&
         seconds_between(started, Clock::now()) + step_seconds_.back() < e_.interval_seconds;
}

void Coordinator::plan_joins(int k) {
  const int wanted = controller_.highest_wanted(k);
  if (wanted <= std::max(present_, refused_up_to_)) return;
  const auto started = Clock::now();
  const int count = wanted - present_;
  const int first_joiner = present_ - (workers_ - e_.join_workers);  // 0-based over the job
  join_hosts_ = hosts_for_joiners(e_.join_hosts, first_joiner, count);
  std::string error;
  if (!joins_.start(e_.program, e_.program_args, join_hosts_, cfg_.stall_seconds, &error)) {
    // Those instances are given up; more arriving later try again.
    refused_up_to_ = wanted;
    std::vector<int> ranks;
    for (int r = present_ + 1; r <= wanted; ++r) ranks.push_back(r);
    out_ << "interval " << k + 1 << ": " << error << "; going on without them\n" << std::flush;
    record({{"event", "join_failed"}, {"interval", k}, {"ranks", ranks}, {"hosts", join_hosts_},
            {"error", error}});
    return;
  }
  spawn_s_ = seconds_between(started, Clock::now());
  joiners_ = count;
  controller_.join(wanted);
}

void Coordinator::take_in_joiners(const ControlMessage& m, const RankMap& grown) {
  const auto started = Clock::now();
  const int before = present_;
  const auto& hosts = join_hosts_;
  // Collective over the living ranks: after a death the survivors', whose
  // merge numbers the world anew (rank_map.hpp).
  const MPI_Comm merged = joins_.take_in(runtime::living_world(), cfg_.stall_seconds);
  std::vector<int> ranks;
  for (int r = before + 1; r <= before + m.joiners; ++r) ranks.push_back(r);
  ranks_ = grown;
  if (world_size(merged) != ranks_.size()) {
    throw std::logic_error("elastic: the merged world has " + std::to_string(world_size(merged)) +
                           " ranks, not " + std::to_string(ranks_.size()));
  }
  world_ = merged;
  present_ = before + m.joiners;
  runtime::set_living_world(merged);
  patience_.world = merged;
  groups_.rejoin(merged);
  stalls_ = runtime::StallWatch(patience_);  // it counts in the merged world's ranks
  last_ = ControlMessage{};  // every rank, old and new, regroups over the merged world
  for (int r : ranks) {
    tell(runtime::JoinSpawn{m.epoch, ranks_.comm_rank(r), ranks_.size() - 1, cfg_.death_seconds,
                            r, liveness_address()},
         r);
    tell(m, r);
  }
  const double seconds = spawn_s_ + seconds_between(started, Clock::now());
  std::string names;
  for (std::size_t i = 0; i < ranks.size(); ++i)
    names += (i ? ", " : "") + std::to_string(ranks[i]) + (hosts[i].empty() ? "" : " on " + hosts[i]);
  out_ << "joined: rank" << (ranks.size() > 1 ? "s " : " ") << names << " (spawned and merged in "
       << seconds << " s)\n" << std::flush;
  record({{"event", "join"}, {"interval", m.interval}, {"ranks", ranks}, {"hosts", hosts},
          {"seconds", seconds}});
  ++summary_.joins;
  joiners_ = 0;
}

// Messages a worker sent before it gave up the broken epoch. Open MPI
// delivers one sender's messages on one communicator in order, whatever
// their tags, so once its survivor report is in, so is all of this.
void Coordinator::drain_stale_reports(int rank, bool dead) {
  const auto tags = dead ? std::vector<runtime::Tag>{runtime::Tag::step_report}
                         : std::vector<runtime::Tag>{runtime::Tag::step_report,
                                                     runtime::Tag::eval_report,
                                                     runtime::Tag::migration_report,
                                                     runtime::Tag::shards_saved};
  for (const auto tag : tags) {
    int ready = 1;
    while (true) {
      MPI_Iprobe(ranks_.comm_rank(rank), static_cast<int>(tag), world_, &ready, MPI_STATUS_IGNORE);
      if (!ready) break;
      const auto bytes = runtime::receive_bytes(ranks_.comm_rank(rank), tag, world_);
      // A step report of a replica: log_finished_steps may still log its step.
      if (tag == runtime::Tag::step_report &&
          std::find(reporters_.begin(), reporters_.end(), rank) != reporters_.end()) {
        const auto report = runtime::decode_message<StepReport>(bytes);
        if (report.step >= step_) unlogged_.emplace_back(rank, report);
      }
    }
  }
}

Decision Coordinator::recover(int k, std::vector<int> dead, std::string how) {
  while (true) {
    try {
      return recover_once(k, dead, how);
    } catch (const runtime::RankLost& more) {  // another rank died meanwhile: all of them at once
      how = more.how;
      dead.insert(dead.end(), more.ranks.begin(), more.ranks.end());
      std::sort(dead.begin(), dead.end());
      dead.erase(std::unique(dead.begin(), dead.end()), dead.end());
    }
  }
}

// Every living worker gives up the step and reports what it holds; the job
// goes on from the latest step every layer still has (recovery.hpp), over the
// survivors' communicator, with a decision that treats the death as a
// preemption without notice (Controller::lose).
Decision Coordinator::recover_once(int k, const std::vector<int>& newly_dead,
                                   const std::string& how) {
  const auto detected = Clock::now();
  for (int r : newly_dead) {
    if (std::binary_search(dead_.begin(), dead_.end(), r)) continue;  // a retried recovery
    dead_.insert(std::upper_bound(dead_.begin(), dead_.end(), r), r);
    stalls_.forget(ranks_.comm_rank(r));
    if (liveness_) liveness_->forget(r);
    ++summary_.deaths;
  }
  const std::int64_t epoch = epoch_++;
  std::string names;
  for (int r : newly_dead) names += (names.empty() ? "" : ", ") + std::to_string(r);
  out_ << "rank" << (newly_dead.size() > 1 ? "s " : " ") << names << " lost (" << how
       << "): recovering with " << living_workers().size()
       << " workers\n" << std::flush;
  tell_workers(runtime::AbortStep{epoch, dead_});

  std::vector<SurvivorState> survivors;
  std::vector<int> missing = living_workers();
  while (!missing.empty()) {
    int from = 0;
    const auto r = receive_watched<runtime::SurvivorReport>(MPI_ANY_SOURCE, missing, &from);
    if (r.epoch != epoch) continue;  // of an earlier recovery
    std::erase(missing, from);
    drain_stale_reports(from);
    SurvivorState s{from, std::nullopt, r.step};
    if (r.end_layer > r.first_layer) s.held = StageRange{r.first_layer, r.end_layer};
    survivors.push_back(s);
  }
  // A replica's last stage may have reported a step just before it died (its
  // connection closing is seen at once, before its last message is read).
  for (int r : newly_dead) drain_stale_reports(r, /*dead=*/true);
  log_finished_steps();
  const auto point = resume_point(survivors, workers_, cfg_.model.layers + 2, step_);
  std::vector<int> ranks = living_workers();
  ranks.insert(ranks.begin(), 0);
  tell_workers(runtime::Survivors{epoch, ranks, point ? point->step : 0});
  joins_.forsake();  // their communicators hold the dead
  const MPI_Comm living = runtime::survivors_comm(world_, ranks_.comm_ranks(ranks),
                                                  runtime::survivors_tag(epoch),
                                                  runtime::recovery_deadline_s(cfg_.death_seconds));
  runtime::set_living_world(living);
  groups_.rebase(living);
  last_ = ControlMessage{};

  const Holdings none{std::vector<std::optional<StageRange>>(static_cast<std::size_t>(workers_))};
  Decision d = controller_.lose(k, newly_dead, point ? point->holdings : none);
  if (point) step_ = point->step;
  record({{"event", "death"},
          {"interval", k},
          {"dead", newly_dead},
          {"detected_by", how},
          {"survivors", static_cast<int>(ranks.size()) - 1},
          {"resume_step", point ? point->step : 0},
          {"type", to_string(d.plan.kind)},
          {"recovery_seconds", seconds_between(detected, Clock::now())}});
  return d;
}

bool Coordinator::asked_to_checkpoint() {
  const auto mine = requests_ ? requests_() : runtime::StepEnd::train_on;
  if (asked_ == runtime::StepEnd::train_on) asked_at_ = step_;
  asked_ = runtime::strongest(asked_, runtime::strongest(mine, runtime::hear_relayed_requests(world_)));
  return asked_ != runtime::StepEnd::train_on;
}

bool Coordinator::answer_requests(int k, const char* why, const TracePosition& at) {
  const bool stop = asked_ == runtime::StepEnd::checkpoint_and_stop;
  const auto& layout = controller_.layout();
  if (!layout || last_.dp < 1) {
    // Nothing holds the state (the interval idled): the newest checkpoint is all there is.
    out_ << "checkpoint asked for after interval " << k + 1 << ": no layout holds the state of "
         << "step " << step_ << "; the newest complete checkpoint is of step " << checkpointed_
         << "\n" << std::flush;
  } else if (checkpointed_ != step_) {
    ControlMessage m = last_;  // the decision in place, once more: no regroup, no steps
    m.joiners = 0;
    m.first_step = step_;
    m.steps = 0;
    m.saves.clear();
    const auto holdings = Holdings::of(*layout, controller_.ranges(), controller_.holders());
    for (const auto& w : plan_store_writes(holdings, cfg_.model.layers + 2))
      m.saves.push_back({w.rank, w.layers.first_layer, w.layers.end_layer});
    if (m.saves.empty()) throw std::logic_error("elastic: a layout in place holds no state to save");
    tell_workers(m);
    collect_store_checkpoint(m, at, why);
    out_ << "checkpoint " << ckpt::step_dir(runtime::checkpoint_run_dir(cfg_), step_).string()
         << " ("
         << (std::string(why) == "clock" ? "--checkpoint-seconds after"
                                         : "asked for at step " + std::to_string(asked_at_) + ",")
         << " interval " << k + 1 << ")\n" << std::flush;
  }
  // Answered only now: a death during the save leaves the request to the next step.
  asked_ = runtime::StepEnd::train_on;
  return stop;
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
// It also pays this run's checkpoints and loses what a rollback redoes
// (liveput/checkpoint_ledger.hpp), as the run itself does.
liveput::PolicyResult Coordinator::prediction(const liveput::CostModel& model) {
  if (summary_.intervals == 0) return {};
  const liveput::Span span{first_interval_, first_interval_ + summary_.intervals};
  const liveput::CheckpointCadence cadence = checkpoint_cadence();
  if (e_.policy == Policy::reactive) {
    return liveput::simulate_reactive(model, source_.series(), span, cadence);
  }
  liveput::TransitionTable table(model);
  liveput::SimulationOptions options;
  options.look_ahead = e_.look_ahead;
  options.checkpoints = cadence;
  return liveput::simulate_liveput(table, source_.series(), span, *forecaster_, options,
                                   to_string(e_.policy));
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
  out_ << line;
  if (summary_.predicted_at_observed_speed > 0) {
    std::snprintf(line, sizeof line,
                  "  it trained at %.2fx the measured model's speed; at that speed the simulator "
                  "predicts %.0f (committed / predicted = %.2f)\n",
                  summary_.observed_speed, summary_.predicted_at_observed_speed,
                  summary_.committed_samples / summary_.predicted_at_observed_speed);
    out_ << line;
  }
  out_ << std::flush;
}

ElasticSummary Coordinator::run() {
  record({{"event", "start"},
          {"schema", "parcae.timeline"},
          {"schema_version", 1},
          {"policy", to_string(e_.policy)},
          {"trace", e_.trace_path.empty() ? "<synthetic>" : e_.trace_path},
          {"window", {e_.start_hour, e_.end_hour}},
          {"workers", present_},
          {"join_workers", e_.join_workers},
          {"interval_steps", e_.interval_steps},
          {"interval_seconds", e_.interval_seconds},
          {"model", cfg_.model.describe()},
          {"global_batch", cfg_.global_batch},
          {"identity_replay", source_.by_identity()},
          {"store_write_gbps", store_.write_gbps},
          {"store_read_gbps", store_.read_gbps},
          {"resumed_at", {{"step", step_}, {"interval", first_interval_},
                          {"steps_into_interval", resume_steps_done_}}}});
  out_ << "parcae train --elastic: " << cfg_.model.describe() << ", " << workers_
       << " workers, policy " << to_string(e_.policy) << ", " << source_.intervals()
       << " intervals of "
       << (e_.interval_steps > 0 ? std::to_string(e_.interval_steps) + " steps"
                                 : std::to_string(e_.interval_seconds) + " s")
       << "\n";
  // In a job that recovers, rank 0's own waits (a regroup's barrier) watch
  // for dead ranks too.
  std::optional<runtime::VigilScope> vigil;
  if (cfg_.death_seconds > 0) {
    listen_for_liveness();
    vigil.emplace([this, since = MPI_Wtime()] { watch({}, since); });
  }
  for (int k = first_interval_; k < source_.intervals() && step_ < cfg_.steps; ++k) {
    const auto started = Clock::now();
    interval_ = k;
    if (e_.join_workers > 0) plan_joins(k);
    const Outcome o = carry_out(k, controller_.decide(k), started);
    const Decision& d = o.decision;
    const int steps = o.steps;
    const double migration_s = o.migration_s, train_s = o.train_s;
    if (d.plan.kind == Reconfiguration::rollback) {
      summary_.rolled_back_s += o.rolled_back_s;
      ++summary_.rollbacks;
    }
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
    book_speed(d, steps, train_s);
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
    if (o.stopped) {
      summary_.stopped = true;
      break;
    }
    // The clock is answered between intervals, and so are the requests heard
    // at an interval's last step or (wall clock) that ended it early.
    const bool asked = step_ < cfg_.steps && asked_to_checkpoint();
    const bool clock = step_ < cfg_.steps && !asked && clock_due();
    if ((asked || clock) && answer_requests(k, asked ? "signal" : "clock", {k + 1, 0})) {
      summary_.stopped = true;
      break;
    }
  }
  // The workers close their liveness connections as they leave: nothing is
  // watched from now on (the connections stay open until this rank's end, so
  // no worker takes the job's end for the coordinator's death).
  vigil.reset();
  ControlMessage done;
  done.finish = true;
  done.stopped = summary_.stopped;
  done.epoch = epoch_;
  tell_workers(done);
  log_.finish();
  summary_.committed_samples = (step_ - cfg_.start.step) * cfg_.global_batch;
  summary_.steps_done = step_;
  const liveput::PolicyResult predicted = prediction(model_);
  summary_.predicted_samples = predicted.samples;
  // Only a wall-clock interval commits what the speed allows: one of
  // --interval-steps commits its K steps however long they take.
  if (e_.interval_seconds > 0 && modelled_samples_ > 0 && observed_samples_ > 0) {
    summary_.observed_speed = observed_samples_ / modelled_samples_;
    summary_.predicted_at_observed_speed =
        prediction(model_.at_speed(summary_.observed_speed)).samples;
  }
  std::vector<double> predicted_per_interval;
  for (const auto& r : predicted.timeline) predicted_per_interval.push_back(r.samples);
  record({{"event", "summary"},
          {"committed_samples", summary_.committed_samples},
          {"predicted_samples", summary_.predicted_samples},
          {"predicted_per_interval", predicted_per_interval},
          {"observed_speed", summary_.observed_speed},
          {"predicted_at_observed_speed", summary_.predicted_at_observed_speed},
          {"intervals", summary_.intervals},
          {"reconfigurations", summary_.reconfigurations},
          {"rollbacks", summary_.rollbacks},
          {"deaths", summary_.deaths},
          {"joins", summary_.joins},
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
  if (e.join_workers < 0) throw InputError("--join-workers must not be negative");
  if (!e.join_hosts.empty() && e.join_workers == 0)
    throw InputError("--join-hosts places the workers of --join-workers: give --join-workers");
  if (e.join_hosts.size() > static_cast<std::size_t>(e.join_workers)) {
    throw InputError("--join-hosts names " + std::to_string(e.join_hosts.size()) +
                     " hosts for --join-workers " + std::to_string(e.join_workers));
  }
  // The source and the predictor know the ranks that may join too.
  workers += e.join_workers;
  if (!e.predictor.empty()) predict::make_predictor(e.predictor, {e.history, workers});
  if (!e.profile_path.empty()) liveput::read_profile_file(e.profile_path);
  make_source(e, workers);  // a bad trace fails here, on every rank, before any message
  if ((e.policy == Policy::reactive || e.hdf5_migration) && cfg.checkpoints.dir.empty()) {
    throw InputError(std::string(e.hdf5_migration ? "--migration hdf5" : "--policy reactive") +
                     " moves state through the checkpoint store on every change: give "
                     "--checkpoint-dir (a folder every rank can read and write)");
  }
}

namespace {

// Every process of the newest merged world leaves it (join.hpp) unless a
// death broke it: then the survivors' communicator is the living world, and
// MPI_Finalize's deadline (mpi_session.hpp) ends what cannot be disconnected.
// The joins since the last death are left, and the living world is again the
// one the oldest of them was spawned over (after a death, the survivors').
void leave_joins(Joins& joins, MPI_Comm merged) {
  if (!joins.any() || runtime::living_world() != merged) return;
  runtime::set_living_world(joins.leave());
}

// A process the job spawned: merge with it, take the welcome, and work as any
// worker from the decision it joins at.
bool run_joiner(runtime::TrainConfig job, const runtime::TrainData& data,
                const runtime::RequestSource& requests) {
  Joins joins;
  const MPI_Comm merged = joins.merge_with_parent(job.stall_seconds);
  const auto welcome = runtime::receive<runtime::JoinSpawn>(0, merged);
  int rank = 0;
  MPI_Comm_rank(merged, &rank);
  if (rank != welcome.rank) {
    throw std::logic_error("elastic: a joiner is rank " + std::to_string(rank) +
                           " of the merged world, the coordinator says " +
                           std::to_string(welcome.rank));
  }
  job.death_seconds = welcome.death_seconds;  // the job's, whatever this environment says
  runtime::set_living_world(merged);
  MPI_Comm world = merged;
  bool stopped = false;
  {
    ElasticWorker worker(job, data, merged, joins, welcome.epoch, requests, welcome.job_rank);
    if (job.death_seconds > 0) worker.watch_coordinator(welcome.liveness);
    stopped = worker.run();
    world = worker.world();
  }
  leave_joins(joins, world);
  return stopped;
}

}  // namespace

ElasticSummary run_elastic_job(const runtime::TrainConfig& cfg, const ElasticConfig& e,
                               const runtime::TrainData& data, std::ostream& out,
                               const runtime::RequestSource& requests) {
  runtime::TrainConfig job = cfg;
  if (e.recovery) job.death_seconds = e.death_s;
  if (spawned_as_joiner()) {
    ElasticSummary summary;
    summary.stopped = run_joiner(job, data, requests);
    return summary;
  }
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  // A failed operation with a dead peer returns instead of aborting every rank.
  if (e.recovery) MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  // The store's speed is measured where this run's checkpoints go (the
  // system's temporary folder when it writes none).
  const auto store_root = job.checkpoints.dir.empty() ? std::filesystem::temp_directory_path()
                                                      : runtime::checkpoint_run_dir(job);
  const LiveCosts costs = measure_live_costs(MPI_COMM_WORLD, job, e.measure_repeats, store_root);
  Joins joins;
  if (rank != 0) {
    MPI_Comm world = MPI_COMM_WORLD;
    ElasticSummary summary;
    {
      ElasticWorker worker(job, data, MPI_COMM_WORLD, joins, -1, requests);
      summary.stopped = worker.run();
      world = worker.world();
    }
    leave_joins(joins, world);
    return summary;
  }
  ElasticSummary summary;
  MPI_Comm world = MPI_COMM_WORLD;
  {
    Coordinator coordinator(job, e, costs, data.val.has_value(), MPI_COMM_WORLD, joins, out,
                            requests);
    summary = coordinator.run();
    world = coordinator.world();
  }
  leave_joins(joins, world);
  return summary;
}

}  // namespace parcae::elastic
