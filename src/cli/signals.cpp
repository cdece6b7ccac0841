// Stop signals (see signals.hpp). Handlers use only async-signal-safe calls:
// write, unlink, _exit.
#include "signals.hpp"

#include <unistd.h>

#include <cstring>

#include "parcae/util/atomic_file.hpp"

namespace parcae::cli {
namespace {

volatile std::sig_atomic_t speaks = 1;  // this process prints the messages
volatile std::sig_atomic_t settled = -1;  // the exit code the ranks agreed on, once they did

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

void handle(int sig, void (*fn)(int)) {
  struct sigaction action {};
  action.sa_handler = fn;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(sig, &action, nullptr);
}

}  // namespace

void settle_exit_code(int code) { settled = code; }

void install_signal_handlers(int rank) {
  speaks = rank == 0 ? 1 : 0;
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) handle(sig, on_stop);
  handle(SIGUSR1, on_usr1);
}

}  // namespace parcae::cli
