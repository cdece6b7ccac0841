// A worker obeying control messages (see worker.hpp).
#include "parcae/elastic/worker.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "parcae/elastic/control.hpp"
#include "parcae/elastic/shard_exchange.hpp"

namespace parcae::elastic {
namespace {

using runtime::ControlMessage;

bool contains(const std::vector<int>& ranks, int rank) {
  return std::find(ranks.begin(), ranks.end(), rank) != ranks.end();
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

ElasticWorker::ElasticWorker(const runtime::TrainConfig& cfg, const runtime::TrainData& data,
                             MPI_Comm world)
    : cfg_(cfg),
      data_(data),
      world_(world),
      groups_(world, 1, runtime::Patience{cfg.stall_seconds, world}),
      reporter_(world) {
  MPI_Comm_rank(world_, &rank_);
}

ElasticWorker::~ElasticWorker() {
  runner_.reset();  // before the stage and the communicators it uses
  stage_.reset();
}

void ElasticWorker::run() {
  while (true) {
    const auto message = runtime::broadcast(ControlMessage{}, 0, world_);
    if (message.finish) return;
    obey(message);
  }
}

void ElasticWorker::obey(const ControlMessage& message) {
  if (message.epoch != epoch_) reconfigure(message);
  train(message);
}

std::vector<model::Shard> ElasticWorker::held_shards() const {
  std::vector<model::Shard> shards;
  if (!stage_) return shards;
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
  if (!stage_) return;
  std::vector<model::Shard> poisoned = held_shards();
  for (auto& s : poisoned) {
    for (auto* buffer : {&s.param, &s.adam_m, &s.adam_v}) {
      std::fill(buffer->begin(), buffer->end(), std::numeric_limits<float>::quiet_NaN());
    }
  }
  stage_.reset();
  stage_.emplace(cfg_.model, std::move(poisoned));
}

void ElasticWorker::reconfigure(const ControlMessage& m) {
  const auto start = std::chrono::steady_clock::now();
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
  std::vector<model::Shard> held = held_shards();
  std::vector<model::Shard> received;
  const bool named =
      std::any_of(plan.transfers.begin(), plan.transfers.end(),
                  [&](const Transfer& t) { return t.from == rank_ || t.to == rank_; });
  if (named) received = exchange_shards(world_, plan, held, cfg_.model, &stats, &groups_.patience());
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
    if (m.state == ControlMessage::State::fresh) {
      stage_.reset();
      stage_.emplace(cfg_.model, range.first_layer, range.end_layer, cfg_.seed);
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
      stage_.emplace(cfg_.model, std::move(shards));
    }
    runner_.emplace(cfg_, data_, *stage_, groups_);
  }
  runtime::send(runtime::MigrationReport{m.epoch, seconds_since(start), stats.bytes_sent,
                                         stats.bytes_received, stats.seconds},
                0, world_);
}

void ElasticWorker::train(const ControlMessage& m) {
  if (!runner_) return;
  for (std::int64_t step = m.first_step; step < m.first_step + m.steps; ++step) {
    runner_->run(static_cast<int>(step), reporter_);
  }
}

}  // namespace parcae::elastic
