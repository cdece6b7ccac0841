// Polite waits, waiting notices and the coordinator's stall watch (see waiting.hpp).
#include "parcae/runtime/waiting.hpp"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <stdexcept>
#include <thread>

#include "parcae/runtime/messages.hpp"

namespace parcae::runtime {
namespace {

// Short waits stay fast (a yield costs microseconds), long ones cost nothing.
void back_off(double waited_s) {
  if (waited_s < 1e-3) {
    sched_yield();
  } else if (waited_s < 20e-3) {
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  } else {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

int rank_in(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank;
}

// Fire and forget: a notice must never block its sender (the coordinator may
// be the one that stopped). The bytes live until the process ends.
void send_notice(const WaitingNotice& notice, MPI_Comm world) {
  static std::deque<Bytes> in_flight;
  in_flight.push_back(encode_message(notice));
  MPI_Request request;
  MPI_Isend(in_flight.back().data(), static_cast<int>(in_flight.back().size()), MPI_BYTE, 0,
            static_cast<int>(Tag::waiting_notice), world, &request);
  MPI_Request_free(&request);
}

std::string rank_list(const std::vector<int>& ranks) {
  std::string out;
  for (int r : ranks) out += (out.empty() ? "" : ", ") + std::to_string(r);
  return out;
}

thread_local Vigil current_vigil;
thread_local bool in_vigil = false;

}  // namespace

VigilScope::VigilScope(Vigil vigil) : previous_(std::move(current_vigil)) {
  current_vigil = std::move(vigil);
}
VigilScope::~VigilScope() { current_vigil = std::move(previous_); }

void keep_vigil() {
  if (!current_vigil || in_vigil) return;
  in_vigil = true;
  try {
    current_vigil();
  } catch (...) {
    in_vigil = false;
    throw;
  }
  in_vigil = false;
}

void wait_politely(std::span<MPI_Request> requests, const Patience* patience,
                   const std::vector<int>& peers) {
  wait_politely(requests, [](int) {}, patience, peers);
}

void wait_politely(std::span<MPI_Request> requests, const std::function<void(int)>& completed,
                   const Patience* patience, const std::vector<int>& peers) {
  const double start = MPI_Wtime();
  const bool notices = patience != nullptr && !peers.empty() && rank_in(patience->world) != 0;
  double next_notice = start + (patience ? patience->notice_s() : 0);
  // The back-off counts from the last completion, not the start: a long
  // transfer of many messages must not sleep between every two of them.
  double last_progress = start;
  std::vector<int> done(requests.size());
  while (true) {
    int count = 0;
    MPI_Testsome(static_cast<int>(requests.size()), requests.data(), &count, done.data(),
                 MPI_STATUSES_IGNORE);
    if (count == MPI_UNDEFINED) return;  // every request is complete (MPI_REQUEST_NULL)
    for (int i = 0; i < count; ++i) completed(done[i]);
    const double now = MPI_Wtime();
    if (count > 0) last_progress = now;
    if (notices && now >= next_notice) {
      send_notice({peers, now - start}, patience->world);
      next_notice = now + patience->notice_s();
    }
    if (now - start > 1e-3) keep_vigil();
    if (count == 0) back_off(now - last_progress);
  }
}

std::vector<int> world_ranks_of_others(MPI_Comm comm, MPI_Comm world) {
  int size = 0;
  MPI_Comm_size(comm, &size);
  const int me = rank_in(comm);
  std::vector<int> out;
  for (int r = 0; r < size; ++r)
    if (r != me) out.push_back(world_rank_of(comm, r, world));
  return out;
}

int world_rank_of(MPI_Comm comm, int rank, MPI_Comm world) {
  MPI_Group from, to;
  MPI_Comm_group(comm, &from);
  MPI_Comm_group(world, &to);
  int out = MPI_UNDEFINED;
  MPI_Group_translate_ranks(from, 1, &rank, to, &out);
  MPI_Group_free(&from);
  MPI_Group_free(&to);
  return out;
}

void barrier_within(MPI_Comm comm, const Patience& patience, const std::string& what) {
  MPI_Request request;
  MPI_Ibarrier(comm, &request);
  const double start = MPI_Wtime();
  const bool notices = rank_in(patience.world) != 0;
  const std::vector<int> peers =
      notices ? world_ranks_of_others(comm, patience.world) : std::vector<int>{};
  double next_notice = start + patience.notice_s();
  while (true) {
    int done = 0;
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done) return;
    const double now = MPI_Wtime();
    const double waited = now - start;
    if (notices && now >= next_notice) {
      send_notice({peers, waited}, patience.world);
      next_notice = now + patience.notice_s();
    }
    if (waited > patience.stall_s) {
      throw std::runtime_error(what + ": not every rank arrived within " +
                               std::to_string(static_cast<long>(patience.stall_s)) +
                               " s (a rank stopped, hung or was lost; --stall-seconds)");
    }
    if (waited > 1e-3) keep_vigil();
    back_off(waited);
  }
}

StallWatch::StallWatch(Patience patience) : patience_(patience) {}

void StallWatch::heard(int rank) { ranks_[rank].last_heard = MPI_Wtime(); }

void StallWatch::waited_on(int rank, int by, double when) {
  if (std::find(gone_.begin(), gone_.end(), rank) != gone_.end()) return;
  Rank& r = ranks_[rank];
  when = std::max(when, r.last_heard);
  if (r.waited_since < r.last_heard) {  // a fresh suspicion
    r.waited_since = when;
    r.waiters.clear();
  } else {
    r.waited_since = std::min(r.waited_since, when);
  }
  if (std::find(r.waiters.begin(), r.waiters.end(), by) == r.waiters.end()) r.waiters.push_back(by);
}

void StallWatch::forget(int rank) {
  ranks_.erase(rank);
  if (std::find(gone_.begin(), gone_.end(), rank) == gone_.end()) gone_.push_back(rank);
}

void StallWatch::hear_notices(double now) {
  int ready = 0;
  MPI_Status status;
  while (true) {
    MPI_Iprobe(MPI_ANY_SOURCE, static_cast<int>(Tag::waiting_notice), patience_.world, &ready,
               &status);
    if (!ready) break;
    const auto notice = decode_message<WaitingNotice>(
        receive_bytes(status.MPI_SOURCE, Tag::waiting_notice, patience_.world));
    heard(status.MPI_SOURCE);
    for (int peer : notice.waiting_for) waited_on(peer, status.MPI_SOURCE, now);
  }
}

std::vector<int> StallWatch::silent(double seconds, double now) {
  std::vector<int> out;
  for (const auto& [rank, r] : ranks_)
    if (r.waited_since >= r.last_heard && r.waited_since > 0 && now - r.waited_since > seconds)
      out.push_back(rank);
  return out;
}

std::vector<int> StallWatch::silent_for(double seconds, const std::vector<int>& waiting_for,
                                        double since) {
  const double now = MPI_Wtime();
  hear_notices(now);
  if (now - since > patience_.notice_s())
    for (int peer : waiting_for) waited_on(peer, 0, since);
  return silent(seconds, now);
}

void StallWatch::check(const std::vector<int>& waiting_for, double since) {
  const double now = MPI_Wtime();
  hear_notices(now);
  if (now - since > patience_.notice_s())
    for (int peer : waiting_for) waited_on(peer, 0, since);
  for (auto& [rank, r] : ranks_) {
    if (r.waited_since >= r.last_heard && r.waited_since > 0 &&
        now - r.waited_since > patience_.stall_s) {
      std::sort(r.waiters.begin(), r.waiters.end());
      throw std::runtime_error("rank " + std::to_string(rank) + " made no progress for " +
                               std::to_string(static_cast<long>(now - r.waited_since)) +
                               " s (stopped, hung or lost?) while rank" +
                               (r.waiters.size() > 1 ? "s " : " ") + rank_list(r.waiters) +
                               " waited for it; the job fails (--stall-seconds " +
                               std::to_string(static_cast<long>(patience_.stall_s)) + ")");
    }
  }
}

}  // namespace parcae::runtime
