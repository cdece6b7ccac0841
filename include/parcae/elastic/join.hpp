#pragma once
// New worker processes join a running elastic job (issue 15, "Join"). The
// coordinator spawns them when the availability source reports more instances
// than the world has workers: MPI_Comm_spawn, collective over the world with
// rank 0 as root, runs the job's own program with its own arguments (each new
// process on the host of --join-hosts, when given), and MPI_Intercomm_merge
// (the parents low, the children high) turns the parents and the children into
// one communicator in which every old process keeps its rank and the joiners
// follow in spawn order. That merged communicator is the job's world from
// then on (coordinator, workers, Groups, the living world of membership.hpp).
// A spawned process knows it is a joiner from MPI_Comm_get_parent.
//
// Why spawn and not a separately launched `parcae join` that connects: on
// Open MPI 4.1 MPI_Comm_connect/MPI_Comm_accept between two mpirun jobs needs
// an ompi-server both know (without it the connect fails), while spawn works
// in any mpirun, --enable-recovery included (docs/elastic.md, "Join").
//
// Leaving: MPI_Comm_disconnect of a merged communicator hangs here; freeing it
// and then disconnecting its intercommunicator is clean. Joins::leave does
// that for every join, newest first, so MPI_Finalize has nothing connected left.
#include <mpi.h>

#include <string>
#include <vector>

namespace parcae::elastic {

// Whether this process was spawned by a running job (MPI_Comm_get_parent).
bool spawned_as_joiner();

// The host of each of `count` joiners from --join-hosts: joiner i (0-based,
// counted over the whole job) goes to hosts[i mod hosts.size()]; no hosts:
// empty names (mpirun places them).
std::vector<std::string> hosts_for_joiners(const std::vector<std::string>& hosts, int first,
                                           int count);

// The communicators of the joins this process took part in.
class Joins {
 public:
  Joins() = default;
  Joins(const Joins&) = delete;
  Joins& operator=(const Joins&) = delete;

  // Collective over `world` (the living ranks: after a death, the survivors'
  // communicator, whose ranks the merge renumbers; rank 0 is the root; `program`, `args` and
  // `hosts` matter only there): starts hosts.size() copies of `program args`,
  // one per entry (an empty host: mpirun chooses), and returns the merged
  // world (errors return on it). Past `deadline_s` the process exits "requeue
  // me" (membership.hpp); a spawn that fails throws naming the hosts.
  MPI_Comm spawn(MPI_Comm world, const std::string& program, const std::vector<std::string>& args,
                 const std::vector<std::string>& hosts, double deadline_s);
  // In a joiner: the merge with the job that spawned it (the other side of spawn).
  MPI_Comm merge_with_parent(double deadline_s);
  // Collective over the newest merged world, every process of it: frees the
  // merged communicators and disconnects the intercommunicators, newest first
  // (those forsaken excepted). Returns the communicator the oldest of them
  // was spawned over (a joiner's: its own MPI_COMM_WORLD): the living world
  // again once they are left.
  MPI_Comm leave();
  // A process died: the joins so far hold it, so they are never left (freeing
  // or disconnecting them would wait for it; MPI_Finalize's deadline ends
  // what stays connected). Joins after it are left as usual.
  void forsake() { forsaken_ = joins_.size(); }
  bool any() const { return joins_.size() > forsaken_; }

 private:
  struct Join {
    MPI_Comm inter = MPI_COMM_NULL;
    MPI_Comm merged = MPI_COMM_NULL;
    MPI_Comm before = MPI_COMM_NULL;  // the living world it was spawned over
  };
  MPI_Comm merge(MPI_Comm inter, bool high, MPI_Comm before, double deadline_s);
  std::vector<Join> joins_;
  std::size_t forsaken_ = 0;  // joins_[0, forsaken_) hold a dead process
};

}  // namespace parcae::elastic
