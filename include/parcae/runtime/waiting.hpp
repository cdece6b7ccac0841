#pragma once
// How ranks wait for each other, and how a job notices that one of them has
// stopped making progress (SIGSTOPped, hung, swapped out, its node lost):
//
//   - every wait on another rank is polite: MPI_Test in a loop that yields,
//     then sleeps, so a waiting rank leaves the core to a working one (a
//     blocking MPI call busy-polls it);
//   - a worker that has waited `notice_s()` sends the coordinator (world rank 0)
//     a WaitingNotice naming the world ranks it waits for, and again every
//     `notice_s()` while it still waits: a live but blocked rank keeps being heard;
//   - the coordinator (StallWatch) hears every notice and report; a rank that
//     someone has waited for during `stall_s` and that has not been heard from
//     since is stalled, and the job fails naming it. A stopped rank sends
//     nothing, so it is named, and not the ranks stuck behind it.
//
// `stall_s` must exceed the longest computation between two communications
// of one rank (a step's forward or backward), which the default leaves far
// behind; waits for the coordinator's release (a parked rank) have no deadline
// (in a job that recovers, an elastic worker's wait for rank 0 has one, and
// its liveness connection: elastic/worker.hpp).
#include <mpi.h>

#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace parcae::runtime {

struct Patience {
  double stall_s = 600;  // no progress for this long: the job fails
  MPI_Comm world = MPI_COMM_WORLD;
  // > 0: a job that recovers from dead ranks (membership.hpp) takes a rank
  // silent this long for dead, so waiting ranks must be heard well within it.
  double death_s = 0;
  // A waiting rank reports every notice_s: well inside stall_s (and death_s),
  // so a live rank that waits is always heard before it could be taken for
  // stalled (or dead).
  double notice_s() const {
    double s = stall_s / 4 < 5 ? stall_s / 4 : 5;
    if (death_s > 0 && death_s / 4 < s) s = death_s / 4;
    return s;
  }
};

// A check that every polite wait of this thread runs about every few
// milliseconds (wait_politely, barrier_within, receive_bytes): it may throw to
// give up the wait (a worker told that a rank died leaves whatever it waits on;
// see membership.hpp). The requests given up are left in flight, so their
// buffers must outlive them. A vigil does not run inside itself.
using Vigil = std::function<void()>;
class VigilScope {
 public:
  explicit VigilScope(Vigil vigil);
  ~VigilScope();
  VigilScope(const VigilScope&) = delete;
  VigilScope& operator=(const VigilScope&) = delete;

 private:
  Vigil previous_;
};
// Runs this thread's vigil, if any (the wait loops call it).
void keep_vigil();

// Waits for all of `requests` politely; when `patience` is given, tells the
// coordinator which world ranks (`peers`) it waits for, as described above.
void wait_politely(std::span<MPI_Request> requests, const Patience* patience = nullptr,
                   const std::vector<int>& peers = {});
inline void wait_politely(MPI_Request& request) { wait_politely(std::span(&request, 1)); }
// The same, calling `completed(i)` on this thread as soon as requests[i] is
// complete (each index once), so the caller can use what arrived while the
// rest still travels.
void wait_politely(std::span<MPI_Request> requests, const std::function<void(int)>& completed,
                   const Patience* patience = nullptr, const std::vector<int>& peers = {});

// The world ranks of `comm`'s ranks other than this one (the peers of a
// collective over it), or of its rank `rank` alone.
std::vector<int> world_ranks_of_others(MPI_Comm comm, MPI_Comm world);
int world_rank_of(MPI_Comm comm, int rank, MPI_Comm world);

// A collective barrier over `comm`, politely, that fails (throws) when it has
// not completed within patience.stall_s: a rank that never arrives. A worker
// waiting in it sends waiting notices naming the others, so the coordinator's
// stall watch names the rank that never came, not the ones that wait for it.
void barrier_within(MPI_Comm comm, const Patience& patience, const std::string& what);

// The coordinator's side (see above). Not thread-safe; rank 0 only.
class StallWatch {
 public:
  explicit StallWatch(Patience patience);
  // Any message from `rank` (a report): it is alive.
  void heard(int rank);
  // Receives the notices that have arrived, then throws std::runtime_error
  // naming a stalled rank, if one is. `waiting_for`: the ranks the
  // coordinator itself is waiting for, and since when (seconds of MPI_Wtime).
  void check(const std::vector<int>& waiting_for, double since);
  // The same, without throwing: the ranks someone has waited for during
  // `seconds` and that have not been heard from since (a job that recovers
  // takes them for dead), ascending.
  std::vector<int> silent_for(double seconds, const std::vector<int>& waiting_for, double since);
  // A rank that has died: never suspected again (late notices may still name it).
  void forget(int rank);
  // New workers joined: notices come on the merged world from now on.
  void rejoin(MPI_Comm merged) { patience_.world = merged; }

 private:
  void hear_notices(double now);
  std::vector<int> silent(double seconds, double now);
  std::vector<int> gone_;
  struct Rank {
    double last_heard = 0;
    double waited_since = -1;  // first notice naming it after it was last heard
    std::vector<int> waiters;
  };
  void waited_on(int rank, int by, double now);
  Patience patience_;
  std::map<int, Rank> ranks_;
};

}  // namespace parcae::runtime
