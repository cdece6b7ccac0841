#pragma once
// What the stop signals do, so that none is the default silent death:
//
//   SIGTERM, SIGINT, SIGHUP   the command stops at once: the temporaries of
//                             unfinished outputs are removed (nothing already
//                             saved is touched), "parcae: stopped by SIGTERM"
//                             is printed (by rank 0 under mpirun, which sends
//                             its own SIGTERM to every rank), exit code 1.
//   SIGUSR1                   noted and ignored: a long command goes on (under
//                             mpirun it reaches every rank).
//
// `parcae train` with checkpoints (not elastic) takes them as requests instead
// (take_signals_as_requests), answered at the next step boundary, which the
// ranks agree on (runtime/step_end_agreement.hpp):
//
//   SIGUSR1                   checkpoint, and train on;
//   SIGUSR2, SIGTERM          checkpoint, then every rank exits 75
//                             (kExitRequeue). mpirun forwards USR2 as it is,
//                             but kills the ranks ~2 s after its own SIGTERM,
//                             so a checkpoint begun then may stay incomplete
//                             (and is ignored by --resume).
//   SIGINT, SIGHUP            stop at once, as above.
#include <csignal>

#include "parcae/runtime/step_end.hpp"

namespace parcae::cli {

// "Checkpointed, requeue me" (BSD's EX_TEMPFAIL): jobs/train.sbatch requeues on it.
inline constexpr int kExitRequeue = 75;

// From now on SIGUSR1, SIGUSR2 and SIGTERM are requests (see above).
void take_signals_as_requests();

// The strongest request since the last call (train_on: none); clears it.
runtime::StepEnd take_signal_request();

// `rank` prints the messages (0 alone or the coordinator); others stay quiet.
void install_signal_handlers(int rank);

// The job's outcome is decided and reported (every rank agreed on `code`):
// from now on a stop signal (mpirun stopping the ranks that are slower to
// exit after one exited non-zero) ends this process with `code`, silently.
void settle_exit_code(int code);

}  // namespace parcae::cli
