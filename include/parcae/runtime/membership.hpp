#pragma once
// Who is still in the job. Under `mpirun --enable-recovery` (Open MPI 4.1,
// no ULFM) a SIGKILLed rank leaves the others running, but every operation
// that involves it never completes and every collective over the world hangs.
// A job that recovers therefore:
//   - takes a rank for dead when its liveness connection closes (its kernel
//     closed it: liveness.hpp), or, where it has none or its host vanished,
//     when it is silent past --death-seconds (StallWatch::silent_for on the
//     coordinator): RankLost;
//   - tells every living worker (AbortStep); each leaves what it waits on
//     (StepAborted, thrown by its vigil, waiting.hpp) and leaves the requests in
//     flight, with their buffers, deliberately leaked;
//   - builds the survivors' communicator with MPI_Comm_create_group over the
//     known-alive group (a split of the world would wait for the dead), and
//     runs every later collective over it (living_world()). Point-to-point
//     messages between survivors keep using the world: world ranks keep their
//     identities.
// When that cannot be done in bounded time, the process says why and exits
// kRequeueExitCode ("requeue me": restart the job from its last checkpoint).
#include <mpi.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "parcae/runtime/messages.hpp"

namespace parcae::runtime {

inline constexpr int kRequeueExitCode = 75;  // EX_TEMPFAIL

// The coordinator found these ranks dead; `how` says how it knows ("silent
// past --death-seconds", "its liveness connection closed").
struct RankLost : std::runtime_error {
  RankLost(std::vector<int> dead, std::string how);
  std::vector<int> ranks;
  std::string how;
};

// A worker was told to give up the step (or whatever it waited on).
struct StepAborted : std::runtime_error {
  explicit StepAborted(AbortStep why);
  AbortStep abort;
};

// The communicator every collective over "all ranks" uses: MPI_COMM_WORLD
// until a rank dies, then the survivors' (rank order = world rank order).
MPI_Comm living_world();
void set_living_world(MPI_Comm comm);

// Whether mpirun was asked to keep the survivors running (--enable-recovery).
bool launched_with_recovery();

// A blocking MPI call that must end within `seconds`: past it the process
// prints `what` and exits `exit_code` (a hung call cannot be unwound).
class BlockingDeadline {
 public:
  BlockingDeadline(double seconds, std::string what, int exit_code = kRequeueExitCode);
  ~BlockingDeadline();
  BlockingDeadline(const BlockingDeadline&) = delete;
  BlockingDeadline& operator=(const BlockingDeadline&) = delete;

 private:
  struct Watch;
  Watch* watch_;
};

// MPI_Comm_create_group over the world ranks `ranks` (this rank among them),
// collective over them alone; errors return (MPI_ERRORS_RETURN). Exits
// kRequeueExitCode, saying why, when it fails or takes over `seconds`.
MPI_Comm survivors_comm(MPI_Comm world, const std::vector<int>& ranks, int tag, double seconds);

// The tag of the survivors' MPI_Comm_create_group in recovery `epoch` (every
// survivor computes the same one), and how long building it may take.
int survivors_tag(std::int64_t epoch);
double recovery_deadline_s(double death_s);

// Exits kRequeueExitCode after printing `why` (recovery itself failed).
[[noreturn]] void requeue(const std::string& why);

}  // namespace parcae::runtime
