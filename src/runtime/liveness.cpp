// Liveness connections between rank 0 and its workers (see liveness.hpp).
#include "parcae/runtime/liveness.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <utility>

namespace parcae::runtime {
namespace {

constexpr std::string_view kHelloWord = "parcae-liveness ";
// The longest hello: the word, a rank of up to 10 digits, the newline.
constexpr std::size_t kLongestHello = 16 + 10 + 1;

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// A connection with nothing to say is still probed, so a peer whose host
// vanished fails it (kKeepAliveSeconds).
void keep_alive(int fd) {
  const int on = 1, idle = 2, interval = 1, count = 3;
  static_assert(idle + interval * count <= kKeepAliveSeconds);
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

// Reads what `fd` has without blocking, into `into` (when given). Returns
// false once the other end has closed or the connection failed.
bool drain(int fd, std::string* into) {
  char buffer[256];
  while (true) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) {
      if (into != nullptr) into->append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) return false;  // EOF: the peer's process is gone
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

// A listening socket on an ephemeral port of every address of `family`.
int listen_on_any(int family, std::string* error) {
  const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = errno_text("socket");
    return -1;
  }
  int rc = 0;
  if (family == AF_INET6) {
    const int off = 0;  // IPv4 workers too
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    sockaddr_in6 any{};
    any.sin6_family = AF_INET6;
    any.sin6_addr = in6addr_any;
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&any), sizeof any);
  } else {
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&any), sizeof any);
  }
  if (rc != 0 || ::listen(fd, SOMAXCONN) != 0) {
    *error = errno_text(rc != 0 ? "bind" : "listen");
    ::close(fd);
    return -1;
  }
  return fd;
}

int port_of(int fd) {
  sockaddr_storage bound{};
  socklen_t size = sizeof bound;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &size) != 0) return 0;
  if (bound.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

// A connected socket to `address` within `timeout_ms`, or -1 (error set).
int connect_within(const addrinfo& address, int timeout_ms, std::string* error) {
  const int fd =
      ::socket(address.ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, address.ai_protocol);
  if (fd < 0) {
    *error = errno_text("socket");
    return -1;
  }
  if (::connect(fd, address.ai_addr, address.ai_addrlen) != 0 && errno != EINPROGRESS) {
    *error = errno_text("connect");
    ::close(fd);
    return -1;
  }
  pollfd p{fd, POLLOUT, 0};
  int rc = 0;
  do rc = ::poll(&p, 1, timeout_ms);
  while (rc < 0 && errno == EINTR);
  int failure = 0;
  socklen_t size = sizeof failure;
  if (rc <= 0) {
    *error = rc == 0 ? "connect: no answer within " + std::to_string(timeout_ms) + " ms"
                     : errno_text("poll");
  } else if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &size) != 0 || failure != 0) {
    *error = std::string("connect: ") + std::strerror(failure);
  } else {
    return fd;
  }
  ::close(fd);
  return -1;
}

}  // namespace

std::string liveness_hello(int job_rank) {
  return std::string(kHelloWord) + std::to_string(job_rank) + "\n";
}

HelloRead read_liveness_hello(std::string_view received) {
  const auto end = received.find('\n');
  if (end == std::string_view::npos) {
    // Still coming, if what came so far can begin a hello.
    const std::size_t n = std::min(received.size(), kHelloWord.size());
    const bool could_be = received.size() < kLongestHello &&
                          received.substr(0, n) == kHelloWord.substr(0, n) &&
                          std::all_of(received.begin() + static_cast<std::ptrdiff_t>(n),
                                      received.end(), [](char c) { return c >= '0' && c <= '9'; });
    return {could_be ? HelloRead::State::incomplete : HelloRead::State::bad};
  }
  const std::string_view line = received.substr(0, end);
  if (line.substr(0, kHelloWord.size()) != kHelloWord) return {HelloRead::State::bad};
  const std::string_view digits = line.substr(kHelloWord.size());
  int rank = -1;
  const auto [at, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), rank);
  if (digits.empty() || ec != std::errc() || at != digits.data() + digits.size() || rank < 1)
    return {HelloRead::State::bad};
  return {HelloRead::State::rank, rank};
}

// --- LivenessListener --------------------------------------------------------------

std::optional<LivenessListener> LivenessListener::open(std::string* error) {
  std::string v6_error;
  int fd = listen_on_any(AF_INET6, &v6_error);
  if (fd < 0) fd = listen_on_any(AF_INET, error);  // a host without IPv6
  if (fd < 0) return std::nullopt;
  char host[HOST_NAME_MAX + 1] = "";
  if (::gethostname(host, sizeof host) != 0 || host[0] == '\0') {
    *error = errno_text("gethostname");
    ::close(fd);
    return std::nullopt;
  }
  host[HOST_NAME_MAX] = '\0';
  return LivenessListener(fd, LivenessAddress{host, port_of(fd)});
}

LivenessListener::LivenessListener(LivenessListener&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      address_(std::move(other.address_)),
      peers_(std::move(other.peers_)) {
  other.peers_.clear();
}

LivenessListener& LivenessListener::operator=(LivenessListener&& other) noexcept {
  if (this != &other) {
    close_all();
    fd_ = std::exchange(other.fd_, -1);
    address_ = std::move(other.address_);
    peers_ = std::move(other.peers_);
    other.peers_.clear();
  }
  return *this;
}

LivenessListener::~LivenessListener() { close_all(); }

void LivenessListener::close_all() {
  for (auto& p : peers_) close_fd(p.fd);
  peers_.clear();
  close_fd(fd_);
}

void LivenessListener::accept_waiting() {
  while (fd_ >= 0) {
    const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN: nobody else waits (or a failure the next call retries)
    }
    keep_alive(fd);
    peers_.push_back(Peer{fd, -1, {}});
  }
}

std::vector<int> LivenessListener::lost() {
  accept_waiting();
  std::vector<int> out;
  if (peers_.empty()) return out;
  std::vector<pollfd> polled;
  for (const auto& p : peers_) polled.push_back({p.fd, POLLIN, 0});
  int rc = 0;
  do rc = ::poll(polled.data(), polled.size(), 0);
  while (rc < 0 && errno == EINTR);
  if (rc <= 0) return out;
  for (std::size_t i = 0; i < peers_.size(); ++i) {
    Peer& p = peers_[i];
    if (p.fd < 0 || polled[i].revents == 0) continue;
    bool open = (polled[i].revents & (POLLERR | POLLNVAL)) == 0 &&
                drain(p.fd, p.rank < 0 ? &p.received : nullptr);
    if (p.rank < 0) {
      const HelloRead hello = read_liveness_hello(p.received);
      if (hello.state == HelloRead::State::rank) {
        // An older connection of the same rank is not this process's.
        for (auto& older : peers_)
          if (older.rank == hello.rank) close_fd(older.fd);
        p.rank = hello.rank;
      } else if (hello.state == HelloRead::State::bad) {
        open = false;  // not one of ours: dropped unnamed
        p.rank = -1;
      }
    }
    if (!open) {
      if (p.rank >= 1) out.push_back(p.rank);
      close_fd(p.fd);
    }
  }
  std::erase_if(peers_, [](const Peer& p) { return p.fd < 0; });
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int> LivenessListener::watched() const {
  std::vector<int> out;
  for (const auto& p : peers_)
    if (p.rank >= 1) out.push_back(p.rank);
  std::sort(out.begin(), out.end());
  return out;
}

void LivenessListener::forget(int rank) {
  for (auto& p : peers_)
    if (p.rank == rank) close_fd(p.fd);
  std::erase_if(peers_, [](const Peer& p) { return p.fd < 0; });
}

// --- LivenessLink ----------------------------------------------------------------

std::optional<LivenessLink> LivenessLink::connect(const LivenessAddress& to, int job_rank,
                                                  double timeout_s, std::string* error) {
  if (to.port <= 0 || to.host.empty()) {
    *error = "no address to connect to";
    return std::nullopt;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(to.host.c_str(), std::to_string(to.port).c_str(), &hints, &found);
  if (rc != 0) {
    *error = "cannot resolve " + to.host + ": " + ::gai_strerror(rc);
    return std::nullopt;
  }
  const int timeout_ms = std::max(1, static_cast<int>(timeout_s * 1000));
  int fd = -1;
  for (const addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next)
    fd = connect_within(*a, timeout_ms, error);
  ::freeaddrinfo(found);
  if (fd < 0) {
    *error = to.host + ":" + std::to_string(to.port) + ": " + *error;
    return std::nullopt;
  }
  keep_alive(fd);
  const std::string hello = liveness_hello(job_rank);
  // A fresh connection's send buffer takes these few bytes whole.
  if (::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(hello.size())) {
    *error = errno_text("send");
    ::close(fd);
    return std::nullopt;
  }
  return LivenessLink(fd);
}

LivenessLink::LivenessLink(LivenessLink&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

LivenessLink& LivenessLink::operator=(LivenessLink&& other) noexcept {
  if (this != &other) {
    close_fd(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

LivenessLink::~LivenessLink() { close_fd(fd_); }

bool LivenessLink::lost() {
  if (fd_ < 0) return true;
  pollfd p{fd_, POLLIN, 0};
  int rc = 0;
  do rc = ::poll(&p, 1, 0);
  while (rc < 0 && errno == EINTR);
  if (rc <= 0) return false;
  if ((p.revents & (POLLERR | POLLNVAL)) != 0 || !drain(fd_, nullptr)) {
    close_fd(fd_);
    return true;
  }
  return false;
}

}  // namespace parcae::runtime
