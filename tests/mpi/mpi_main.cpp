// main() for GoogleTest binaries that run under mpirun: every rank runs the
// tests, only rank 0 prints, and the exit code is a failure on any rank, so a
// ctest fails when one rank's assertion does.
#include <mpi.h>

#include <gtest/gtest.h>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank != 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  const int local = RUN_ALL_TESTS();
  int any = 0;
  MPI_Allreduce(&local, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (rank == 0 && any != 0 && local == 0) std::fprintf(stderr, "a test failed on another rank\n");
  MPI_Finalize();
  return any;
}
