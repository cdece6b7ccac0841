// Communicators from a layout (see groups.hpp).
#include "parcae/runtime/groups.hpp"

#include <algorithm>
#include <atomic>

#include "parcae/runtime/membership.hpp"

namespace parcae::runtime {
namespace {

std::atomic<int> alive_count{0};

MPI_Comm split(MPI_Comm parent, int colour, int key) {
  MPI_Comm out = MPI_COMM_NULL;
  MPI_Comm_split(parent, colour, key, &out);
  if (out != MPI_COMM_NULL) ++alive_count;
  return out;
}

void free_comm(MPI_Comm& comm) {
  if (comm == MPI_COMM_NULL) return;
  MPI_Comm_free(&comm);
  --alive_count;
}

}  // namespace

Groups::~Groups() { release(); }

void Groups::release() {
  free_comm(data_);
  free_comm(pipeline_);
  free_comm(active_);
  placement_.reset();
}

void Groups::rebase(MPI_Comm living) {
  // Leaked on purpose (see groups.hpp); no longer counted as held.
  for (MPI_Comm* c : {&data_, &pipeline_, &active_}) {
    if (*c != MPI_COMM_NULL) --alive_count;
    *c = MPI_COMM_NULL;
  }
  placement_.reset();
  living_ = living;
}

void Groups::rejoin(MPI_Comm merged) {
  world_ = merged;
  living_ = merged;
  patience_.world = merged;
}

void Groups::regroup(const Layout& layout) {
  release();
  barrier_within(living_, patience_, "regroup");
  // A rank that dies between the barrier and the splits would hang them: in
  // a job that recovers, the splits have a deadline (then: requeue me).
  std::optional<BlockingDeadline> deadline;
  if (patience_.death_s > 0)
    deadline.emplace(recovery_deadline_s(patience_.death_s), "a regroup's communicator splits");
  int rank = 0;
  MPI_Comm_rank(world_, &rank);
  placement_ = layout.placement_of(rank - first_worker_ + 1);
  dp_ = layout.dp();
  pp_ = layout.pp();
  // Key = the rank's position in the replica-major order, so ranks in `active`
  // are ordered by (replica, stage) whatever their world ranks are.
  const int order = placement_ ? placement_->replica * layout.pp() + placement_->stage : 0;
  active_ = split(living_, placement_ ? 0 : MPI_UNDEFINED, order);
  if (!placement_) return;
  pipeline_ = split(active_, placement_->replica, placement_->stage);
  data_ = split(active_, placement_->stage, placement_->replica);
}

int Groups::workers() const {
  int size = 0;
  MPI_Comm_size(world_, &size);
  return size - first_worker_;
}

int Groups::communicators_alive() { return alive_count.load(); }

}  // namespace parcae::runtime
