// Agreeing on failures across ranks (see mpi_command.hpp).
#include "mpi_command.hpp"

#include <climits>
#include <iostream>

#include "parcae/runtime/exit_file.hpp"
#include "parcae/runtime/membership.hpp"
#include "parcae/runtime/waiting.hpp"
#include "signals.hpp"

namespace parcae::cli {
namespace {

int allreduce(int value, MPI_Op op) {
  int result = 0;
  MPI_Request request;
  MPI_Iallreduce(&value, &result, 1, MPI_INT, op, MPI_COMM_WORLD, &request);
  runtime::wait_politely(request);  // a rank still loading data must not make the others spin
  return result;
}

}  // namespace

int agree_on_failure(const std::optional<Failure>& mine, const MpiJob& job) {
  const int code = mine ? mine->exit_code : 0;
  const int gravest = job.size > 1 ? allreduce(code, MPI_MAX) : code;
  if (gravest == 0) return 0;
  const int speaker = job.size > 1 ? allreduce(code == gravest ? job.rank : INT_MAX, MPI_MIN) : 0;
  if (job.rank == speaker) std::cerr << "parcae: " << mine->message << "\n" << std::flush;
  settle_exit_code(gravest);
  return gravest;
}

void await_every_rank(const MpiJob& job) {
  // Over the survivors when ranks died (a barrier over the world would wait for them).
  runtime::barrier_within(runtime::living_world(),
                          runtime::Patience{job.stall_seconds, MPI_COMM_WORLD}, "end of the job");
}

int fail_job(const Failure& failure, const MpiJob& job) {
  if (job.size == 1) {
    std::cerr << "parcae: " << failure.message << "\n" << std::flush;
    return failure.exit_code;
  }
  std::cerr << "parcae: rank " << job.rank << ": " << failure.message << "\n" << std::flush;
  runtime::write_exit_file(failure.exit_code);  // rank 0's, where one is set (exit_file.hpp)
  MPI_Abort(MPI_COMM_WORLD, failure.exit_code);  // the others may wait for this rank forever
  return failure.exit_code;
}

}  // namespace parcae::cli
