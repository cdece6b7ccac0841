#pragma once
// Regroup: from a layout, the communicators a worker trains with. From one
// MPI_Comm_split of the world, the active ranks get an `active` communicator,
// and from it a `pipeline` communicator per replica (colour r, key s) and a
// `data` communicator per stage (colour s, key r). Parked ranks (and the
// coordinator) pass MPI_UNDEFINED and hold none. Calling regroup again with
// another layout frees the previous communicators first, so a job can
// reconfigure at any step boundary without leaking.
#include <mpi.h>

#include <optional>

#include "parcae/runtime/layout.hpp"
#include "parcae/runtime/waiting.hpp"

namespace parcae::runtime {

class Groups {
 public:
  // Worker w of the layout (1-based) is world rank w - 1 + first_worker_rank:
  // 1 normally (rank 0 coordinates), 0 when a lone process plays both roles.
  // A regroup first waits (politely) for every rank of the world, and fails
  // naming what it waited for after patience.stall_s: MPI_Comm_split itself
  // would wait forever for a rank that stopped.
  explicit Groups(MPI_Comm world, int first_worker_rank = 1, Patience patience = {})
      : world_(world), living_(world), first_worker_(first_worker_rank), patience_(patience) {
    patience_.world = world;
  }
  ~Groups();
  Groups(const Groups&) = delete;
  Groups& operator=(const Groups&) = delete;

  // Collective over the living communicator (the world until rebase): every
  // rank of it calls it with the same layout.
  void regroup(const Layout& layout);

  // After a rank died: the communicators of the broken epoch are dropped
  // without being freed (freeing is collective, and operations given up on
  // them may still be in flight), and later regroups run over `living` (the
  // survivors' communicator; membership.hpp). World ranks keep their roles.
  void rebase(MPI_Comm living);

  // After new workers joined (elastic/join.hpp): `merged` is the world from
  // now on, old ranks keep theirs. The communicators held stay valid until the
  // next regroup, which runs over the merged world.
  void rejoin(MPI_Comm merged);

  // Worker ranks of the world (all but the coordinator, or the lone process).
  int workers() const;
  bool active() const { return placement_.has_value(); }
  const std::optional<Placement>& placement() const { return placement_; }
  MPI_Comm active_comm() const { return active_; }
  MPI_Comm pipeline() const { return pipeline_; }  // rank in it = stage
  MPI_Comm data() const { return data_; }          // rank in it = replica
  // The shape of the layout last regrouped with (D replicas x P stages).
  int dp() const { return dp_; }
  int pp() const { return pp_; }
  // How long this rank waits before the job counts a partner as stalled.
  const Patience& patience() const { return patience_; }

  // Communicators this process holds across all Groups objects (for leak tests).
  static int communicators_alive();

 private:
  void release();

  MPI_Comm world_;
  MPI_Comm living_;  // collectives run over it: the world, or the survivors
  int first_worker_;
  Patience patience_;
  std::optional<Placement> placement_;
  int dp_ = 0, pp_ = 0;
  MPI_Comm active_ = MPI_COMM_NULL;
  MPI_Comm pipeline_ = MPI_COMM_NULL;
  MPI_Comm data_ = MPI_COMM_NULL;
};

}  // namespace parcae::runtime
