#pragma once
// The one place where errors become exit codes and messages: 2 for bad input
// or usage (InputError, a malformed option), 1 for anything else (IoError:
// the OS refused a read or write; any other exception). main() and the MPI
// commands' wrapper (mpi_command.hpp) both ask here.
#include <exception>
#include <string>

namespace parcae::cli {

struct Failure {
  int exit_code = 1;
  std::string message;  // without the "parcae: " prefix
};

Failure failure_of(std::exception_ptr error);

}  // namespace parcae::cli
