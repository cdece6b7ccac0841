#pragma once
// New worker processes join a running elastic job (issue 15, "Join"). The
// coordinator spawns them when the availability source reports more instances
// than the world has workers, in two steps. First rank 0 alone runs the job's
// own program with its own arguments (MPI_Comm_spawn_multiple over
// MPI_COMM_SELF, each new process on the host of --join-hosts, when given) and
// merges with them: Open MPI 4.1 fails a spawn on a host it cannot use at the
// root only (within about 10 ms), while the other ranks of a collective spawn
// wait forever, so a spawn that involves rank 0 alone can fail and be
// reported. Then, with the next control message, every living rank and the
// new processes build one intercommunicator (MPI_Intercomm_create, rank 0 the
// bridge), and MPI_Intercomm_merge (the old ranks low, the joiners high) turns
// it into one communicator in which the old processes keep their order and the
// joiners follow in spawn order. That merged communicator is the job's world from
// then on (coordinator, workers, Groups, the living world of membership.hpp).
// A spawned process knows it is a joiner from MPI_Comm_get_parent.
//
// Why spawn and not a separately launched `parcae join` that connects: on
// Open MPI 4.1 MPI_Comm_connect/MPI_Comm_accept between two mpirun jobs needs
// an ompi-server both know (without it the connect fails), while spawn works
// in any mpirun, --enable-recovery included (docs/elastic.md, "Join").
//
// Leaving: MPI_Comm_disconnect of a merged communicator hangs here; freeing it
// and then disconnecting its intercommunicators is clean. Joins::leave does
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

  // Rank 0 alone (MPI_COMM_SELF): starts hosts.size() copies of `program
  // args`, one per entry (an empty host: mpirun chooses), and merges with
  // them. A spawn that fails (a host mpirun cannot use) involves nobody else:
  // returns false and says why in `error`, so the job goes on without them.
  // Past `deadline_s` the process exits "requeue me" (membership.hpp).
  bool start(const std::string& program, const std::vector<std::string>& args,
             const std::vector<std::string>& hosts, double deadline_s, std::string* error);
  // Collective over `living` (the living ranks: after a death, the
  // survivors' communicator, whose ranks the merge renumbers; rank 0 after a
  // successful start) and the processes started: connects them
  // (MPI_Intercomm_create, bridged by rank 0) and returns the merged world,
  // the living ranks low (errors return on it).
  MPI_Comm take_in(MPI_Comm living, double deadline_s);
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
    // Rank 0 and the joiners only: the spawn's intercommunicator and its merge.
    MPI_Comm spawned = MPI_COMM_NULL;
    MPI_Comm bridge = MPI_COMM_NULL;
    // Everyone: the living ranks with the joiners, and its merge.
    MPI_Comm inter = MPI_COMM_NULL;
    MPI_Comm merged = MPI_COMM_NULL;
    MPI_Comm before = MPI_COMM_NULL;  // the living world it was spawned over
  };
  // `local` (a leader: its rank 0) with the other side of `bridge` (whose
  // leader is rank `remote_leader` there), merged; `high`: the joiners' side.
  MPI_Comm connect(MPI_Comm local, MPI_Comm bridge, int remote_leader, bool high,
                   double deadline_s, Join join);
  Join started_;  // start()ed, not yet taken in (rank 0)
  std::vector<Join> joins_;
  std::size_t forsaken_ = 0;  // joins_[0, forsaken_) hold a dead process
};

}  // namespace parcae::elastic
