#pragma once
// The one error path of every command that runs under mpirun (train, profile,
// bench pipeline). A command is two steps:
//
//   setup(job&) -> std::optional<State>  parse, validate, load; no communication.
//                                         nullopt: --help was printed, exit 0.
//   work(job, state) -> exit code        the job proper, with communication.
//
// An error in setup, on any rank, is agreed by every rank (an allreduce of the
// exit codes, which is safe: nobody is waiting for a message yet); the message
// is printed once, by the lowest rank with the gravest error, and every rank
// exits with its code, 2 for bad input or 1, together. An error in work is
// printed by the rank that met it, naming the rank, and MPI_Abort ends every
// rank at once with the same code (mpirun returns it: measured, Open MPI 4.1),
// because the others may be blocked waiting for that rank. A lone process
// (no mpirun) takes the same steps with no one to agree with.
#include <optional>
#include <type_traits>

#include "failure.hpp"
#include "mpi_session.hpp"
#include "signals.hpp"

namespace parcae::cli {

struct MpiJob {
  int rank = 0;
  int size = 1;
  // Spawned by a running job to join it (elastic/join.hpp): rank and size are
  // of the spawned processes' own world; the job it joins speaks, not it.
  bool joiner = false;
  bool speaks() const { return rank == 0 && !joiner; }
  // How long a rank waits for the others at the end (MPI_Finalize is a fence
  // that would wait forever for a stopped rank); setup may change it.
  double stall_seconds = 600;
};

// Collective over the world: 0 when no rank failed, else the gravest exit code;
// the failure's message has been printed once.
int agree_on_failure(const std::optional<Failure>& mine, const MpiJob& job);

// A failure during the work: printed by this rank; under mpirun, every rank is
// aborted with its exit code (this does not return). Alone, returns the code.
int fail_job(const Failure& failure, const MpiJob& job);

// Every rank has finished its work, or a std::runtime_error after
// job.stall_seconds naming the wait.
void await_every_rank(const MpiJob& job);

template <typename Setup, typename Work>
int run_mpi_command(int argc, char** argv, Setup&& setup, Work&& work) {
  MpiSession mpi(&argc, &argv);
  MpiJob job{mpi.rank(), mpi.size(), mpi.spawned()};
  install_signal_handlers(job.speaks() ? 0 : 1);  // after MPI_Init: only rank 0 speaks
  std::invoke_result_t<Setup, MpiJob&> state;
  std::optional<Failure> failed;
  try {
    state = setup(job);
  } catch (...) {
    failed = failure_of(std::current_exception());
  }
  if (const int code = agree_on_failure(failed, job); code != 0) return code;
  if (!state) return 0;
  try {
    const int code = work(job, *state);
    if (job.size > 1) await_every_rank(job);
    mpi.set_exit_code(code);
    return code;
  } catch (...) {
    return fail_job(failure_of(std::current_exception()), job);
  }
}

}  // namespace parcae::cli
