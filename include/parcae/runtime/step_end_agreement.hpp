#pragma once
// The ranks' agreement on how a step ends (step_end.hpp), over MPI. Each
// active worker takes its wish (schedule, clock, the signals it heard, and on
// the first worker the requests relayed by the ranks that do not train); one
// max-allreduce over the active ranks makes it the same on all of them.
// A rank that does not train relays what it hears to the first worker
// (world rank 1) as a CheckpointRequest, so a SIGTERM sent to any one rank,
// or to mpirun, ends the same step on every rank.
#include <mpi.h>

#include "parcae/runtime/mpi_transport.hpp"
#include "parcae/runtime/step_end.hpp"
#include "parcae/runtime/waiting.hpp"

namespace parcae::runtime {

class StepEndAgreement {
 public:
  // `active`: the communicator of the training ranks; `world`: where relayed
  // requests arrive (read only on the first worker, `hears_relays`).
  StepEndAgreement(CheckpointSchedule schedule, RequestSource requests, MPI_Comm active,
                   MPI_Comm world, bool hears_relays, Patience patience);

  // Collective over the active ranks: how step `step` of `total_steps` ends.
  StepEnd agree(int step, int total_steps);
  // A checkpoint was taken: the clock of --checkpoint-seconds starts again.
  void checkpointed();

 private:
  StepEnd heard();
  CheckpointSchedule schedule_;
  RequestSource requests_;
  MpiCollective active_;
  MPI_Comm world_;
  bool hears_relays_;
  double since_ = 0;  // MPI_Wtime of the last checkpoint (or the start)
};

// On a rank that does not decide: passes each request `requests` takes on
// to world rank `to` (the first worker of a fixed layout; an elastic run's
// coordinator).
class RequestRelay {
 public:
  RequestRelay(RequestSource requests, MPI_Comm world, int to = 1)
      : requests_(std::move(requests)), world_(world), to_(to) {}
  void poll();

 private:
  RequestSource requests_;
  MPI_Comm world_;
  int to_;
};

// The strongest request relayed to this rank over `world` since the last
// call (train_on: none); takes every one that has arrived.
StepEnd hear_relayed_requests(MPI_Comm world);

}  // namespace parcae::runtime
