#pragma once
// MPI_Init / MPI_Finalize around a command that runs under mpirun: every rank
// finalises together when the command returns, whatever path it takes.
#include <mpi.h>

#include <optional>

#include "parcae/runtime/membership.hpp"

namespace parcae::cli {

class MpiSession {
 public:
  MpiSession(int* argc, char*** argv) { MPI_Init(argc, argv); }
  // After ranks died (a job that recovered), MPI_Finalize's fence sometimes
  // waits for them forever (Open MPI 4.1 --enable-recovery, about 1 run in 3
  // here): it gets a deadline, past which the process leaves with its code.
  ~MpiSession() {
    std::optional<runtime::BlockingDeadline> deadline;
    if (runtime::living_world() != MPI_COMM_WORLD)
      deadline.emplace(10.0, "MPI_Finalize (after ranks died)", exit_code_);
    MPI_Finalize();
  }
  void set_exit_code(int code) { exit_code_ = code; }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return query(MPI_Comm_rank); }
  int size() const { return query(MPI_Comm_size); }
  // Started by MPI_Comm_spawn of a running job.
  bool spawned() const {
    MPI_Comm parent = MPI_COMM_NULL;
    MPI_Comm_get_parent(&parent);
    return parent != MPI_COMM_NULL;
  }

 private:
  static int query(int (*f)(MPI_Comm, int*)) {
    int value = 0;
    f(MPI_COMM_WORLD, &value);
    return value;
  }
  int exit_code_ = 0;
};

}  // namespace parcae::cli
