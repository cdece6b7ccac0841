#pragma once
// A worker of an elastic job: it waits for the coordinator's control
// messages and obeys each. A new epoch (a decision) is carried out in a fixed
// order, the same on every rank, so nothing waits on anything out of turn:
//   1. a rank the interval preempts loses its state (NaN-filled, then
//      dropped) unless the message lets it evacuate first;
//   2. shards move from live holders to the ranks that lack them
//      (exchange_shards, point to point on the world);
//   3. an evacuating rank loses its state now;
//   4. every rank regroups with the new layout (collective over the world);
//   5. an active rank builds its stage from its own shards and the ones it
//      received, or fresh from the seed (nothing has trained yet, or a
//      rollback with no checkpoint), and reports how long that took.
// Then it trains the steps the message asks for, exactly as the fixed-layout
// trainer does (runtime::StepRunner). A message of the same epoch only asks
// for more steps.
//
// In a job that recovers from dead ranks (cfg.death_seconds > 0), every wait
// also watches for the coordinator's AbortStep: the worker gives up whatever
// it waits on (runtime::StepAborted), copies its shards out of the stage, and
// leaks the runner, stage and communicators of the broken epoch (operations
// on them stay in flight, and MPI may still write into their buffers). It
// reports what it holds (SurvivorReport), builds the survivors' communicator
// when told who they are (Survivors), keeps only state at the step the job
// goes on from, and obeys the next decision with those shards.
//
// Every wait also relays the signals this rank heard to the coordinator
// (CheckpointRequest); a message of the current epoch with `saves` and no
// steps asks the named ranks to save their layers as a checkpoint, and the
// final message says whether the job stopped on such a request.
//
// In a job that recovers, the worker also watches rank 0 (runtime/liveness.hpp):
// it opens a liveness connection to the address the first control message (a
// joiner's JoinSpawn) gives, and every wait polls it. When it closes, rank 0
// is dead and nothing can go on: the worker reads a control message already
// on its way first (a normal end: rank 0 said "finish" before it ended),
// else writes 75 to --exit-file unless a code is there (exit_file.hpp) and
// exits "requeue me". The fallback (no connection could be opened, or rank 0
// is stopped or hung): the wait for a control message gives up the same way
// after rank 0's silence for --stall-seconds plus the recovery deadline
// (runtime::recovery_deadline_s), longer than any blocking call of rank 0;
// not for a parked rank with a connection, which waits out whole intervals.
//
// A decision with joiners (join.hpp) first takes in the processes rank 0
// started, with every living rank, and merges: the merged communicator is
// this worker's world from then on (its rank in it may differ after a death:
// elastic/rank_map.hpp), and the decision regroups everyone over it. A joiner
// is a worker built on the merged world that takes in nobody for the decision
// it joins at.
#include <mpi.h>

#include <chrono>
#include <memory>
#include <optional>

#include "parcae/compute/stage.hpp"
#include "parcae/elastic/join.hpp"
#include "parcae/runtime/groups.hpp"
#include "parcae/runtime/liveness.hpp"
#include "parcae/runtime/messages.hpp"
#include "parcae/runtime/step_end_agreement.hpp"
#include "parcae/runtime/step_runner.hpp"
#include "parcae/runtime/trainer.hpp"

namespace parcae::elastic {

class ElasticWorker {
 public:
  // `joins` keeps the communicators of the joins this worker takes part in;
  // `joined_at`: a joiner's first decision (-1: one of the world's workers).
  // `requests`: the signals' (relayed to the coordinator, which decides).
  // `job_rank`: the coordinator's name for this worker (-1: its rank in `world`,
  // as for the world's workers; a joiner's comes with its JoinSpawn).
  ElasticWorker(const runtime::TrainConfig& cfg, const runtime::TrainData& data, MPI_Comm world,
                Joins& joins, std::int64_t joined_at = -1,
                const runtime::RequestSource& requests = {}, int job_rank = -1);
  ~ElasticWorker();

  // Until the coordinator says the job is over; returns whether it stopped
  // early on a request (after its checkpoint).
  bool run();
  // One control message (for tests that drive a worker step by step).
  void obey(const runtime::ControlMessage& message);
  MPI_Comm world() const { return world_; }  // the newest merged world once workers joined
  // In a job that recovers: opens the liveness connection to rank 0 at `to`,
  // the first time an address is given (later ones are the same); warns once
  // when it cannot.
  void watch_coordinator(const runtime::LivenessAddress& to);

 private:
  void reconfigure(const runtime::ControlMessage& message);
  void train(const runtime::ControlMessage& message);
  std::vector<model::Shard> held_shards() const;
  void lose_state();
  runtime::ControlMessage next_decision();
  void watch_for_abort();  // the vigil: throws StepAborted when told
  // The vigil: rank 0's liveness connection closed (see above).
  void check_coordinator();
  void recover(const runtime::AbortStep& abort);
  void take_in_joiners();
  // This rank's parts of the checkpoint `message` asks for (its `saves`),
  // from `held` (the rank's live shards), each reported to the coordinator.
  void save_parts(const runtime::ControlMessage& message, const std::vector<model::Shard>& held);
  bool saves_any(const runtime::ControlMessage& message) const;

  const runtime::TrainConfig& cfg_;
  const runtime::TrainData& data_;
  MPI_Comm world_;
  Joins& joins_;
  std::int64_t joined_at_;
  int rank_ = 0;
  runtime::Groups groups_;
  runtime::MpiReporter reporter_;
  runtime::RequestSource requests_;
  runtime::RequestRelay relay_;  // to the coordinator, on the newest world
  std::unique_ptr<compute::Stage> stage_;
  std::unique_ptr<runtime::StepRunner> runner_;  // rebuilt on every regroup
  std::int64_t epoch_ = -1;
  runtime::ControlMessage last_;  // the last decision carried out
  std::int64_t aborted_ = -1;     // the epoch of the last abort (older messages are stale)
  std::vector<model::Shard> kept_;  // state copied out of an aborted stage
  int job_rank_ = -1;
  bool link_tried_ = false;
  std::optional<runtime::LivenessLink> coordinator_;  // the liveness connection to rank 0
  // When that connection closed: from then on only a `finish` already sent
  // (a normal end) is read; anything else, or nothing within a second, is
  // rank 0's death.
  std::optional<std::chrono::steady_clock::time_point> coordinator_gone_;
};

}  // namespace parcae::elastic
