// Stop signals (see signals.hpp). Handlers use only async-signal-safe calls:
// write, unlink, _exit.
#include "signals.hpp"

#include <unistd.h>

#include <atomic>
#include <cstring>

#include "parcae/util/atomic_file.hpp"

namespace parcae::cli {
namespace {

volatile std::sig_atomic_t speaks = 1;  // this process prints the messages
volatile std::sig_atomic_t settled = -1;  // the exit code the ranks agreed on, once they did
// The strongest request not yet taken (a StepEnd); lock-free, so the handler may exchange it.
std::atomic<int> requested{0};
static_assert(std::atomic<int>::is_always_lock_free);

void say(const char* text) {
  if (speaks) {
    const ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
    (void)ignored;
  }
}

void on_stop(int sig) {
  util::remove_temporaries();
  // The outcome was already agreed and said: mpirun stopping the ranks that
  // are still finishing is the end of that story, not a new one.
  if (settled >= 0) ::_exit(settled);
  say(sig == SIGTERM ? "parcae: stopped by SIGTERM (from mpirun, the batch system or kill); "
                       "outputs not written\n"
      : sig == SIGINT
          ? "parcae: stopped by SIGINT (interrupted); outputs not written\n"
          : "parcae: stopped by SIGHUP (the terminal went away); outputs not written\n");
  ::_exit(1);
}

void on_usr1(int) {
  say("parcae: SIGUSR1 received and ignored (no checkpoint to take); going on\n");
}

void on_request(int sig) {
  if (settled >= 0) ::_exit(settled);  // the job is over already: see on_stop
  const int wish = static_cast<int>(sig == SIGUSR1 ? runtime::StepEnd::checkpoint
                                                   : runtime::StepEnd::checkpoint_and_stop);
  int seen = requested.load();
  while (seen < wish && !requested.compare_exchange_weak(seen, wish)) {
  }
  say(sig == SIGUSR1   ? "parcae: SIGUSR1: checkpoint at the next step boundary, then train on\n"
      : sig == SIGUSR2 ? "parcae: SIGUSR2: checkpoint at the next step boundary, then exit 75\n"
                       : "parcae: SIGTERM: checkpoint at the next step boundary, then exit 75 "
                         "(mpirun kills the ranks ~2 s after its SIGTERM)\n");
}

void handle(int sig, void (*fn)(int)) {
  struct sigaction action {};
  action.sa_handler = fn;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(sig, &action, nullptr);
}

}  // namespace

void settle_exit_code(int code) { settled = code; }

void take_signals_as_requests() {
  for (int sig : {SIGUSR1, SIGUSR2, SIGTERM}) handle(sig, on_request);
}

runtime::StepEnd take_signal_request() {
  return static_cast<runtime::StepEnd>(requested.exchange(0));
}

void install_signal_handlers(int rank) {
  speaks = rank == 0 ? 1 : 0;
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) handle(sig, on_stop);
  handle(SIGUSR1, on_usr1);
}

}  // namespace parcae::cli
