#pragma once
// Death notices from the kernel (issue 15): one TCP connection per worker to
// rank 0, held open for the worker's whole life. Under `mpirun
// --enable-recovery` nothing in Open MPI 4.1 tells the survivors that a rank
// died (docs/elastic.md, "Why not an MPI or PMIx notice"), but the dead
// process's kernel closes its sockets: the other end reads EOF (or an error)
// at once. So
//   - rank 0 listens on an ephemeral port of every address (LivenessListener)
//     and tells the workers its host name and port (the control message; a
//     spawned joiner's JoinSpawn);
//   - each worker connects (LivenessLink) and says its job rank (the hello);
//   - rank 0 polls the connections, without blocking, where it watches for
//     silent ranks: a closed one is that rank's death, now;
//   - a worker polls its connection in its waits: a closed one is rank 0's
//     death, and nothing can go on without it.
// A host that vanishes without its kernel closing anything is left to TCP
// keep-alive (the connection fails within kKeepAliveSeconds of silence) and,
// on rank 0, to the silence deadline. Every socket is close-on-exec, so a
// child process never keeps a dead rank's connection open.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parcae/runtime/messages.hpp"

namespace parcae::runtime {

// An idle connection whose peer stopped answering fails after about this
// long (TCP keep-alive: 2 s idle, then 3 probes 1 s apart).
inline constexpr int kKeepAliveSeconds = 5;

// --- the hello: pure ------------------------------------------------------------

// The line a worker sends first: "parcae-liveness <job rank>\n".
std::string liveness_hello(int job_rank);

// What the bytes received on a connection so far say.
struct HelloRead {
  enum class State { incomplete, rank, bad } state = State::incomplete;
  int rank = -1;  // State::rank: the job rank
};
// The first line of `received`: a hello with a job rank >= 1, an incomplete
// one (no newline yet, and short enough to be one), or anything else (bad).
HelloRead read_liveness_hello(std::string_view received);

// --- the sockets ----------------------------------------------------------------

// Rank 0's side. Not thread-safe.
class LivenessListener {
 public:
  // Listens on an ephemeral TCP port of every address; nullopt, with the
  // reason in `error`, when it cannot.
  static std::optional<LivenessListener> open(std::string* error);
  LivenessListener(LivenessListener&& other) noexcept;
  LivenessListener& operator=(LivenessListener&& other) noexcept;
  LivenessListener(const LivenessListener&) = delete;
  LivenessListener& operator=(const LivenessListener&) = delete;
  ~LivenessListener();  // closes every socket

  // This host's name and the port.
  LivenessAddress address() const { return address_; }
  // Without blocking: takes the connections waiting, reads their hellos, and
  // returns the job ranks whose connection has closed or failed since the
  // last call, each once, ascending. A connection that closes before its
  // hello, or says something else, is dropped unnamed.
  std::vector<int> lost();
  // The ranks connected and named, ascending.
  std::vector<int> watched() const;
  // Stops watching `rank` (its death is being handled; it may reconnect
  // under a new process, which then counts).
  void forget(int rank);

 private:
  LivenessListener(int fd, LivenessAddress address) : fd_(fd), address_(std::move(address)) {}
  void accept_waiting();
  void close_all();
  struct Peer {
    int fd = -1;
    int rank = -1;  // -1 until its hello
    std::string received;
  };
  int fd_ = -1;
  LivenessAddress address_;
  std::vector<Peer> peers_;
};

// A worker's side.
class LivenessLink {
 public:
  // Connects to `to` within `timeout_s` and says `job_rank`; nullopt, with
  // the reason in `error`, when it cannot (no route, refused, a name that
  // does not resolve).
  static std::optional<LivenessLink> connect(const LivenessAddress& to, int job_rank,
                                             double timeout_s, std::string* error);
  LivenessLink(LivenessLink&& other) noexcept;
  LivenessLink& operator=(LivenessLink&& other) noexcept;
  LivenessLink(const LivenessLink&) = delete;
  LivenessLink& operator=(const LivenessLink&) = delete;
  ~LivenessLink();

  // Without blocking: whether the other end has closed or failed.
  bool lost();

 private:
  explicit LivenessLink(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace parcae::runtime
