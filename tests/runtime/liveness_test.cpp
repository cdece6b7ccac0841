// Liveness connections: the hello's reading, and real sockets between this
// process and a child that is SIGKILLed (the kernel closes its connection).
#include "parcae/runtime/liveness.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

namespace parcae::runtime {
namespace {

using State = HelloRead::State;

TEST(LivenessHello, ReadsTheRankOfACompleteLine) {
  const HelloRead h = read_liveness_hello(liveness_hello(17));
  EXPECT_EQ(h.state, State::rank);
  EXPECT_EQ(h.rank, 17);
  EXPECT_EQ(read_liveness_hello("parcae-liveness 3\nleft over").rank, 3);
}

TEST(LivenessHello, WaitsForALineThatIsStillComing) {
  for (const char* part : {"", "par", "parcae-liveness", "parcae-liveness ", "parcae-liveness 12"})
    EXPECT_EQ(read_liveness_hello(part).state, State::incomplete) << part;
}

TEST(LivenessHello, RefusesAnythingElse) {
  for (const char* bad :
       {"GET / HTTP/1.1\r\n", "parcae-liveness \n", "parcae-liveness 0\n", "parcae-liveness -2\n",
        "parcae-liveness 3x\n", "parcae-liveness 99999999999\n", "parcae-liveness 12a",
        "parcae-liveness 123456789012", "hello"})
    EXPECT_EQ(read_liveness_hello(bad).state, State::bad) << bad;
}

// Polls until `done` (at most ~10 s: a broken connection fails the test, not hangs it).
bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 2000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

LivenessListener listener() {
  std::string error;
  auto l = LivenessListener::open(&error);
  EXPECT_TRUE(l.has_value()) << error;
  if (!l) std::abort();
  EXPECT_GT(l->address().port, 0);
  EXPECT_FALSE(l->address().host.empty());
  return std::move(*l);
}

// A child process that connects as `rank` and then waits to be killed.
pid_t connected_child(const LivenessAddress& to, int rank) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::string error;
    auto link = LivenessLink::connect(to, rank, 5, &error);
    if (!link) ::_exit(3);
    while (true) ::pause();
  }
  return pid;
}

TEST(Liveness, AKilledWorkersConnectionIsItsDeath) {
  auto l = listener();
  const pid_t a = connected_child(l.address(), 2);
  const pid_t b = connected_child(l.address(), 5);
  std::vector<int> lost;
  ASSERT_TRUE(eventually([&] {
    lost = l.lost();
    return l.watched() == std::vector<int>{2, 5};
  })) << "the children never said hello";
  EXPECT_TRUE(lost.empty());
  ::kill(b, SIGKILL);
  ::waitpid(b, nullptr, 0);
  ASSERT_TRUE(eventually([&] {
    lost = l.lost();
    return !lost.empty();
  }));
  EXPECT_EQ(lost, std::vector<int>{5});
  EXPECT_EQ(l.watched(), std::vector<int>{2});
  EXPECT_TRUE(l.lost().empty());  // each death once
  // A rank forgotten is not reported when its process dies.
  l.forget(2);
  ::kill(a, SIGKILL);
  ::waitpid(a, nullptr, 0);
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(l.lost().empty());
}

TEST(Liveness, AWorkerSeesTheCoordinatorGo) {
  auto l = std::make_optional(listener());
  std::string error;
  auto link = LivenessLink::connect(l->address(), 4, 5, &error);
  ASSERT_TRUE(link.has_value()) << error;
  ASSERT_TRUE(eventually([&] {
    l->lost();
    return l->watched() == std::vector<int>{4};
  }));
  EXPECT_FALSE(link->lost());
  l.reset();  // rank 0's process ends: the kernel closes its sockets
  EXPECT_TRUE(eventually([&] { return link->lost(); }));
  EXPECT_TRUE(link->lost());  // and stays lost
}

TEST(Liveness, AConnectionThatSaysSomethingElseIsDroppedUnnamed) {
  auto l = listener();
  std::string error;
  auto link = LivenessLink::connect(l.address(), 0, 5, &error);  // rank 0 is not a worker
  ASSERT_TRUE(link.has_value()) << error;
  std::vector<int> lost;
  EXPECT_TRUE(eventually([&] {  // the listener reads the hello and hangs up
    const auto now = l.lost();
    lost.insert(lost.end(), now.begin(), now.end());
    return link->lost();
  }));
  EXPECT_TRUE(lost.empty());
  EXPECT_TRUE(l.watched().empty());
}

TEST(Liveness, NoListenerNoLink) {
  std::string error;
  auto l = std::make_optional(listener());
  const LivenessAddress gone = l->address();
  l.reset();
  EXPECT_FALSE(LivenessLink::connect(gone, 1, 2, &error).has_value());
  EXPECT_NE(error.find("connect"), std::string::npos) << error;
  EXPECT_FALSE(LivenessLink::connect({"no-such-host.invalid", 1}, 1, 2, &error).has_value());
  EXPECT_NE(error.find("no-such-host.invalid"), std::string::npos) << error;
}

}  // namespace
}  // namespace parcae::runtime
