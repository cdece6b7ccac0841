#pragma once
// What the stop signals do, so that none is the default silent death:
//
//   SIGTERM, SIGINT, SIGHUP   the command stops at once: the temporaries of
//                             unfinished outputs are removed (nothing already
//                             saved is touched), "parcae: stopped by SIGTERM"
//                             is printed (by rank 0 under mpirun, which sends
//                             its own SIGTERM to every rank), exit code 1.
//   SIGUSR1                   noted and ignored: a long command goes on (under
//                             mpirun it reaches every rank; train will take it
//                             as "checkpoint now").
#include <csignal>

namespace parcae::cli {

// `rank` prints the messages (0 alone or the coordinator); others stay quiet.
void install_signal_handlers(int rank);

// The job's outcome is decided and reported (every rank agreed on `code`):
// from now on a stop signal (mpirun stopping the ranks that are slower to
// exit after one exited non-zero) ends this process with `code`, silently.
void settle_exit_code(int code);

}  // namespace parcae::cli
