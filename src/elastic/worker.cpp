// A worker obeying control messages (see worker.hpp).
#include "parcae/elastic/worker.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>
#include <thread>

#include "parcae/elastic/control.hpp"
#include "parcae/elastic/elastic_checkpoints.hpp"
#include "parcae/elastic/shard_exchange.hpp"
#include "parcae/runtime/exit_file.hpp"
#include "parcae/runtime/membership.hpp"

namespace parcae::elastic {
namespace {

using runtime::ControlMessage;

bool contains(const std::vector<int>& ranks, int rank) {
  return std::find(ranks.begin(), ranks.end(), rank) != ranks.end();
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Rank 0 is dead: nobody else writes the job's code (exit_file.hpp).
[[noreturn]] void orphaned(const std::string& why) {
  runtime::write_orphan_exit_file(runtime::kRequeueExitCode);
  runtime::requeue(why);
}

// How long a worker waits for rank 0's `finish` after its connection closed.
constexpr double kLastWordsSeconds = 1.0;
const char* const kCoordinatorGone = "rank 0 (the coordinator) is gone: its liveness connection closed";

}  // namespace

ElasticWorker::ElasticWorker(const runtime::TrainConfig& cfg, const runtime::TrainData& data,
                             MPI_Comm world, Joins& joins, std::int64_t joined_at,
                             const runtime::RequestSource& requests, int job_rank)
    : cfg_(cfg),
      data_(data),
      world_(world),
      joins_(joins),
      joined_at_(joined_at),
      groups_(world, 1, cfg.patience(world)),
      reporter_(world),
      requests_(requests),
      relay_(requests, world, 0),
      job_rank_(job_rank) {
  MPI_Comm_rank(world_, &rank_);
  if (job_rank_ < 0) job_rank_ = rank_;
}

ElasticWorker::~ElasticWorker() {
  runner_.reset();  // before the stage and the communicators it uses
  stage_.reset();
}

bool ElasticWorker::run() {
  // Every wait relays the signals heard (and, in a job that recovers, hears an abort).
  runtime::VigilScope vigil([this] {
    relay_.poll();
    if (cfg_.death_seconds > 0) {
      check_coordinator();
      watch_for_abort();
    }
  });
  std::optional<runtime::AbortStep> aborted;
  while (true) {
    try {
      if (aborted) {
        const auto abort = *aborted;
        aborted.reset();
        recover(abort);
      }
      const auto message = next_decision();
      if (message.finish) {
        coordinator_.reset();  // rank 0 watches no more: leaving is no death
        return message.stopped;
      }
      obey(message);
    } catch (const runtime::StepAborted& e) {
      aborted = e.abort;  // recovered outside the handler: another abort may interrupt it
    }
  }
}

// The next control message, point to point from the coordinator (a world
// broadcast would hang once a rank died); those of an epoch given up are stale.
// Rank 0 silent past its longest blocking call (a spawn or the survivors'
// communicator, each within its deadline) is taken for dead or hung: the
// fallback for a rank 0 without a liveness connection, or stopped or hung
// with one. An active rank waits here only while rank 0 decides; a parked
// one waits out whole intervals of the others' training, so with a
// connection it relies on that alone.
ControlMessage ElasticWorker::next_decision() {
  const auto since = std::chrono::steady_clock::now();
  const double patience = cfg_.stall_seconds + runtime::recovery_deadline_s(cfg_.death_seconds);
  const bool parked = runner_ == nullptr;
  const auto silence = [&] {
    if (cfg_.death_seconds <= 0 || (parked && coordinator_) || seconds_since(since) <= patience)
      return;
    orphaned("rank 0 (the coordinator) sent nothing for " +
             std::to_string(static_cast<long>(patience)) +
             " s (--stall-seconds and the recovery deadline): taken for dead or hung");
  };
  while (true) {
    auto m = runtime::receive<ControlMessage>(0, world_, nullptr, silence);
    // Rank 0 orders a step ahead, so a message may wait here after its death:
    // only a `finish` says the end was normal.
    if (coordinator_gone_ && !m.finish) orphaned(kCoordinatorGone);
    if (cfg_.death_seconds > 0) watch_coordinator(m.liveness);
    if (m.finish || m.epoch > aborted_) return m;
  }
}

void ElasticWorker::watch_coordinator(const runtime::LivenessAddress& to) {
  if (link_tried_ || to.port <= 0) return;
  link_tried_ = true;
  std::string error;
  coordinator_ = runtime::LivenessLink::connect(to, job_rank_, 5.0, &error);
  if (!coordinator_) {
    std::cerr << "parcae: rank " << job_rank_ << ": warning: no liveness connection to rank 0 ("
              << error << "): its death is found by its silence alone (--stall-seconds)\n"
              << std::flush;
  }
}

void ElasticWorker::check_coordinator() {
  if (coordinator_ && coordinator_->lost()) {
    coordinator_.reset();
    coordinator_gone_ = std::chrono::steady_clock::now();
  }
  // A normal end: rank 0 sent `finish` before its process ended, and it is
  // read within the second (next_decision); a death sends nothing more.
  if (coordinator_gone_ && seconds_since(*coordinator_gone_) > kLastWordsSeconds)
    orphaned(kCoordinatorGone);
}

void ElasticWorker::watch_for_abort() {
  int ready = 0;
  MPI_Iprobe(0, static_cast<int>(runtime::Tag::abort_step), world_, &ready, MPI_STATUS_IGNORE);
  if (!ready) return;
  const auto abort = runtime::receive<runtime::AbortStep>(0, world_);
  if (abort.epoch > aborted_) throw runtime::StepAborted(abort);
}

void ElasticWorker::recover(const runtime::AbortStep& abort) {
  aborted_ = abort.epoch;
  // Leaked on purpose: operations given up on them are still in flight.
  (void)runner_.release();
  if (stage_) {
    kept_ = held_shards();
    (void)stage_.release();
  }
  groups_.rebase(runtime::living_world());  // drops the broken epoch's communicators
  runtime::SurvivorReport report{abort.epoch, 0, 0, 0};
  if (!kept_.empty()) {
    report.first_layer = kept_.front().layer;
    report.end_layer = kept_.back().layer + 1;
    report.step = kept_.front().step;
  }
  runtime::send(report, 0, world_);
  const auto survivors = runtime::receive<runtime::Survivors>(0, world_);
  if (!contains(survivors.ranks, rank_)) {
    runtime::requeue("the coordinator took this rank for dead (it was silent past "
                     "--death-seconds)");
  }
  std::erase_if(kept_, [&](const model::Shard& s) { return s.step != survivors.step; });
  joins_.forsake();  // their communicators hold the dead
  const MPI_Comm living = runtime::survivors_comm(world_, survivors.ranks,
                                                  runtime::survivors_tag(survivors.epoch),
                                                  runtime::recovery_deadline_s(cfg_.death_seconds));
  runtime::set_living_world(living);
  groups_.rebase(living);
  last_ = ControlMessage{};  // the next decision regroups whatever it keeps
}

void ElasticWorker::obey(const ControlMessage& message) {
  if (message.epoch != epoch_) {
    reconfigure(message);
  } else if (saves_any(message)) {  // a checkpoint asked for (a signal)
    save_parts(message, held_shards());
  }
  train(message);
}

std::vector<model::Shard> ElasticWorker::held_shards() const {
  std::vector<model::Shard> shards;
  if (!stage_) return kept_;
  for (int l = stage_->first_layer(); l < stage_->end_layer(); ++l) {
    shards.push_back(stage_->copy_shard(l));
  }
  return shards;
}

// Preemption is real loss: the state is overwritten with NaN at once, so a
// plan that read it anyway would move NaN and the run would fail loudly
// (a non-finite loss stops it). The rank is parked, and drops it, at the regroup.
void ElasticWorker::lose_state() {
  runner_.reset();
  kept_.clear();
  if (!stage_) return;
  std::vector<model::Shard> poisoned = held_shards();
  for (auto& s : poisoned) {
    for (auto* buffer : {&s.param, &s.adam_m, &s.adam_v}) {
      std::fill(buffer->begin(), buffer->end(), std::numeric_limits<float>::quiet_NaN());
    }
  }
  stage_ = std::make_unique<compute::Stage>(cfg_.model, std::move(poisoned));
}

void ElasticWorker::take_in_joiners() {
  // The root (rank 0) names the program and the hosts; the rest only take part.
  // Rank 0 started them; over the living ranks (after a death the survivors',
  // and the merge numbers them anew).
  world_ = joins_.take_in(runtime::living_world(), cfg_.stall_seconds);
  MPI_Comm_rank(world_, &rank_);
  groups_.rejoin(world_);
  reporter_ = runtime::MpiReporter(world_);
  runtime::set_living_world(world_);
  relay_ = runtime::RequestRelay(requests_, world_, 0);
  last_ = ControlMessage{};  // every rank, old and new, regroups over the merged world
}

bool ElasticWorker::saves_any(const ControlMessage& m) const {
  return std::any_of(m.saves.begin(), m.saves.end(),
                     [&](const runtime::StoreSave& s) { return s.rank == rank_; });
}

void ElasticWorker::save_parts(const ControlMessage& m, const std::vector<model::Shard>& held) {
  for (std::size_t part = 0; part < m.saves.size(); ++part) {
    const auto& save = m.saves[part];
    if (save.rank != rank_) continue;
    runtime::send(save_held_layers(cfg_, held, save.first_layer, save.end_layer,
                                   static_cast<int>(part), m.first_step),
                  0, world_);
  }
}

void ElasticWorker::reconfigure(const ControlMessage& m) {
  const auto start = std::chrono::steady_clock::now();
  if (m.joiners > 0 && m.epoch != joined_at_) take_in_joiners();
  epoch_ = m.epoch;
  const bool keep = keeps_layout(last_, m);
  last_ = m;
  if (keep) {  // only parked spares came or went: nothing to do
    runtime::send(runtime::MigrationReport{m.epoch, seconds_since(start), 0, 0, 0.0}, 0, world_);
    return;
  }
  runner_.reset();
  const bool preempted = contains(m.preempted, rank_);
  if (preempted && !m.evacuate) lose_state();

  ExchangeStats stats;
  const MigrationPlan plan = plan_of(m);
  // On the heap: sends given up (a rank died mid-migration) still read it.
  auto held_box = std::make_unique<std::vector<model::Shard>>(held_shards());
  std::vector<model::Shard>& held = *held_box;
  std::vector<model::Shard> received;
  const bool named =
      std::any_of(plan.transfers.begin(), plan.transfers.end(),
                  [&](const Transfer& t) { return t.from == rank_ || t.to == rank_; });
  // Through the store: this rank's part of the current state goes to disk
  // before the regroup, which rank 0 joins only once the checkpoint is whole.
  save_parts(m, held);
  try {
    if (named)
      received =
          exchange_shards(world_, plan, held, cfg_.model, &stats, &groups_.patience(), m.epoch);
  } catch (const runtime::StepAborted&) {
    (void)held_box.release();
    throw;
  }
  if (preempted) {
    lose_state();
    held.clear();
  }

  const runtime::Layout layout = layout_of(m);
  groups_.regroup(layout);
  const auto placement = groups_.placement();
  if (!placement) {
    stage_.reset();  // a parked rank's state goes stale as the others train
  } else {
    if (preempted && !contains(m.allocated, rank_)) {
      throw std::logic_error("elastic: preempted rank " + std::to_string(rank_) +
                             " placed in epoch " + std::to_string(m.epoch));
    }
    const model::StageRange range = ranges_of(m)[placement->stage];
    if (m.state == ControlMessage::State::checkpoint ||
        m.state == ControlMessage::State::through_store) {
      stage_.reset();
      stage_ = std::make_unique<compute::Stage>(
          cfg_.model, load_layers(cfg_, m.first_step, range.first_layer, range.end_layer));
    } else if (m.state == ControlMessage::State::fresh) {
      stage_.reset();
      stage_ = std::make_unique<compute::Stage>(cfg_.model, range.first_layer, range.end_layer,
                                                cfg_.seed);
    } else {
      std::vector<model::Shard> shards;
      for (int l = range.first_layer; l < range.end_layer; ++l) {
        auto from = [&](std::vector<model::Shard>& pool) {
          return std::find_if(pool.begin(), pool.end(),
                              [&](const model::Shard& s) { return s.layer == l; });
        };
        if (auto it = from(held); it != held.end()) {
          shards.push_back(std::move(*it));
        } else if (auto in = from(received); in != received.end()) {
          shards.push_back(std::move(*in));
        } else {
          throw std::logic_error("elastic: rank " + std::to_string(rank_) +
                                 " has no state for layer " + std::to_string(l) +
                                 " after the migration of epoch " + std::to_string(m.epoch));
        }
      }
      held.clear();
      stage_.reset();
      stage_ = std::make_unique<compute::Stage>(cfg_.model, std::move(shards));
    }
    runner_ = std::make_unique<runtime::StepRunner>(cfg_, data_, *stage_, groups_);
  }
  kept_.clear();
  runtime::send(runtime::MigrationReport{m.epoch, seconds_since(start), stats.bytes_sent,
                                         stats.bytes_received, stats.seconds},
                0, world_);
}

void ElasticWorker::train(const ControlMessage& m) {
  if (!runner_) return;
  for (std::int64_t step = m.first_step; step < m.first_step + m.steps; ++step) {
    runner_->run(static_cast<int>(step), reporter_);
    relay_.poll();
    const auto& placement = groups_.placement();
    if (checkpoint_due(cfg_, step + 1) && placement && placement->replica == 0) {
      runtime::send(save_stage(cfg_, *stage_, placement->stage, step + 1), 0, world_);
    }
  }
}

}  // namespace parcae::elastic
