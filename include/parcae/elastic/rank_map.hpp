#pragma once
// The job's ranks and the ranks of the communicator its messages travel on.
// Everything rank 0 decides (the controller, the trace's instances, layouts,
// migration plans, the timeline) names a worker by its job rank, which never
// changes: 0 is the coordinator, the world's workers are 1..W, the n-th
// process that joins is the next number after the last one given. Point-to-
// point messages go on the newest world communicator, whose ranks are the job
// ranks until workers join after a death: then the spawn is collective over
// the survivors' communicator (the dead cannot take part), and the merged
// world numbers the survivors 0, 1, ... in job-rank order, the joiners after
// them. The coordinator converts at the edge (what it sends and whom from);
// a worker only ever sees its communicator's ranks.
#include <vector>

#include "parcae/runtime/messages.hpp"

namespace parcae::elastic {

class RankMap {
 public:
  // Job rank r is communicator rank r, for r < size.
  explicit RankMap(int size = 1);
  // The world a join makes: `living` (job ranks, ascending, 0 first: the ranks
  // the spawn was collective over), then `joiners` (job ranks above them).
  static RankMap joined(const std::vector<int>& living, const std::vector<int>& joiners);

  int size() const { return static_cast<int>(job_of_comm_.size()); }
  bool has(int job_rank) const;
  // Throws std::logic_error for a job rank with no process in this world.
  int comm_rank(int job_rank) const;
  int job_rank(int comm_rank) const;
  std::vector<int> comm_ranks(const std::vector<int>& job_ranks) const;
  std::vector<int> job_ranks(const std::vector<int>& comm_ranks) const;

 private:
  std::vector<int> job_of_comm_;  // ascending
};

// The messages with the communicator's ranks in place of job ranks: every
// rank a control message names (placements re-indexed, one per worker of the
// communicator); a preempted or allocated rank with no process in it (the
// dead) is left out, as nobody there can act on it.
runtime::ControlMessage in_comm_ranks(const runtime::ControlMessage& m, const RankMap& ranks);
runtime::Survivors in_comm_ranks(const runtime::Survivors& m, const RankMap& ranks);
runtime::AbortStep in_comm_ranks(const runtime::AbortStep& m, const RankMap& ranks);

}  // namespace parcae::elastic
