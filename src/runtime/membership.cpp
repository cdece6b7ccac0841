// Who is still in the job (see membership.hpp).
#include "parcae/runtime/membership.hpp"

#include "parcae/runtime/exit_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>

namespace parcae::runtime {
namespace {

MPI_Comm living = MPI_COMM_WORLD;

std::string rank_list(const std::vector<int>& ranks) {
  std::string out;
  for (int r : ranks) out += (out.empty() ? "" : ", ") + std::to_string(r);
  return out;
}

// This process's world rank for a message, without MPI (the caller may be a
// watchdog thread while MPI is hung or finalising).
std::string my_rank() {
  const char* r = std::getenv("OMPI_COMM_WORLD_RANK");
  return r != nullptr ? r : "?";
}

}  // namespace

RankLost::RankLost(std::vector<int> dead, std::string how_known)
    : std::runtime_error("rank" + std::string(dead.size() > 1 ? "s " : " ") + rank_list(dead) +
                         " lost (" + how_known + ")"),
      ranks(std::move(dead)),
      how(std::move(how_known)) {}

StepAborted::StepAborted(AbortStep why)
    : std::runtime_error("step aborted: rank" + std::string(why.dead.size() > 1 ? "s " : " ") +
                         rank_list(why.dead) + " lost"),
      abort(std::move(why)) {}

MPI_Comm living_world() { return living; }
void set_living_world(MPI_Comm comm) { living = comm; }

bool launched_with_recovery() {
  const char* v = std::getenv("OMPI_MCA_orte_enable_recovery");
  return v != nullptr && (std::string(v) == "1" || std::string(v) == "true");
}

int survivors_tag(std::int64_t epoch) { return static_cast<int>(epoch % 100000); }

double recovery_deadline_s(double death_s) { return std::max(10.0, 4 * death_s); }

void requeue(const std::string& why) {
  // One write: the lines of ranks that leave together do not interleave.
  const std::string line = "parcae: rank " + my_rank() + ": " + why + "; exiting " +
                           std::to_string(kRequeueExitCode) +
                           " (requeue me: restart from the last checkpoint)\n";
  std::cerr << line << std::flush;
  std::fflush(nullptr);
  write_exit_file(kRequeueExitCode);  // rank 0's tells the batch script (exit_file.hpp)
  ::_exit(kRequeueExitCode);  // MPI may be hung: no finalize, no destructors
}

struct BlockingDeadline::Watch {
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  std::thread thread;
};

BlockingDeadline::BlockingDeadline(double seconds, std::string what, int exit_code)
    : watch_(new Watch) {
  watch_->thread = std::thread([w = watch_, seconds, what = std::move(what), exit_code] {
    std::unique_lock lock(w->mutex);
    if (w->cv.wait_for(lock, std::chrono::duration<double>(seconds), [&] { return w->done; }))
      return;
    const std::string late =
        what + " did not finish within " + std::to_string(static_cast<long>(seconds)) + " s";
    if (exit_code == kRequeueExitCode) requeue(late);
    std::cerr << "parcae: rank " << my_rank() << ": " << late << "; leaving with exit " << exit_code
              << "\n" << std::flush;
    std::fflush(nullptr);
    ::_exit(exit_code);
  });
}

BlockingDeadline::~BlockingDeadline() {
  {
    std::lock_guard lock(watch_->mutex);
    watch_->done = true;
  }
  watch_->cv.notify_one();
  watch_->thread.join();
  delete watch_;
}

MPI_Comm survivors_comm(MPI_Comm world, const std::vector<int>& ranks, int tag, double seconds) {
  MPI_Group all, alive;
  MPI_Comm_group(world, &all);
  MPI_Group_incl(all, static_cast<int>(ranks.size()), ranks.data(), &alive);
  MPI_Comm out = MPI_COMM_NULL;
  int rc = MPI_SUCCESS;
  {
    const BlockingDeadline deadline(seconds, "building the survivors' communicator (ranks " +
                                                 rank_list(ranks) + ")");
    rc = MPI_Comm_create_group(world, alive, tag, &out);
  }
  MPI_Group_free(&alive);
  MPI_Group_free(&all);
  if (rc != MPI_SUCCESS || out == MPI_COMM_NULL) {
    char text[MPI_MAX_ERROR_STRING];
    int n = 0;
    MPI_Error_string(rc, text, &n);
    requeue("cannot build the survivors' communicator (ranks " + rank_list(ranks) +
            "): " + std::string(text, n));
  }
  MPI_Comm_set_errhandler(out, MPI_ERRORS_RETURN);
  return out;
}

}  // namespace parcae::runtime
