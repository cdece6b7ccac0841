#pragma once
// MPI_Init / MPI_Finalize around a command that runs under mpirun: every rank
// finalises together when the command returns, whatever path it takes.
#include <mpi.h>

namespace parcae::cli {

class MpiSession {
 public:
  MpiSession(int* argc, char*** argv) { MPI_Init(argc, argv); }
  ~MpiSession() { MPI_Finalize(); }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return query(MPI_Comm_rank); }
  int size() const { return query(MPI_Comm_size); }

 private:
  static int query(int (*f)(MPI_Comm, int*)) {
    int value = 0;
    f(MPI_COMM_WORLD, &value);
    return value;
  }
};

}  // namespace parcae::cli
