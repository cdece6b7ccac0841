#include <algorithm>
#include <map>

#include <gtest/gtest.h>

#include "parcae/runtime/schedule.hpp"

namespace parcae::runtime {
namespace {

// Runs every stage's op list against message channels, as the MPI transport
// does: sends are non-blocking (buffered), a receive waits for its message
// (matched by micro-batch, as the tag does). Compute ops take unit time,
// messages arrive instantly. Returns the makespan, or -1 on deadlock; checks
// the activation bound on the way.
int simulate(int P, int M) {
  std::vector<std::vector<Op>> lists;
  for (int s = 0; s < P; ++s) lists.push_back(one_f_one_b(s, P, M));
  std::vector<std::size_t> pc(P, 0);
  std::vector<int> clock(P, 0), in_flight(P, 0);
  // (kind, from stage, micro-batch) -> arrival time
  std::map<std::tuple<int, int, int>, int> mailbox;
  bool progressed = true;
  while (progressed) {
    progressed = false;
    for (int s = 0; s < P; ++s) {
      while (pc[s] < lists[s].size()) {
        const Op op = lists[s][pc[s]];
        if (op.kind == OpKind::recv_activation || op.kind == OpKind::recv_gradient) {
          const int from = op.kind == OpKind::recv_activation ? s - 1 : s + 1;
          const auto key = std::make_tuple(static_cast<int>(op.kind), from, op.micro_batch);
          const auto it = mailbox.find(key);
          if (it == mailbox.end()) break;  // blocked: let the other stages run
          clock[s] = std::max(clock[s], it->second);
          mailbox.erase(it);
        } else if (op.kind == OpKind::send_activation) {
          mailbox[{static_cast<int>(OpKind::recv_activation), s, op.micro_batch}] = clock[s];
        } else if (op.kind == OpKind::send_gradient) {
          mailbox[{static_cast<int>(OpKind::recv_gradient), s, op.micro_batch}] = clock[s];
        } else {
          clock[s] += 1;
          in_flight[s] += op.kind == OpKind::forward ? 1 : -1;
          EXPECT_LE(in_flight[s], P - s) << "stage " << s;
          EXPECT_GE(in_flight[s], 0);
        }
        ++pc[s];
        progressed = true;
      }
    }
  }
  for (int s = 0; s < P; ++s) {
    if (pc[s] != lists[s].size()) return -1;
  }
  EXPECT_TRUE(mailbox.empty());
  return *std::max_element(clock.begin(), clock.end());
}

TEST(OneFOneB, EveryMicroBatchForwardThenBackwardOnEveryStage) {
  for (int P = 1; P <= 6; ++P) {
    for (int M = 1; M <= 9; ++M) {
      for (int s = 0; s < P; ++s) {
        const auto ops = one_f_one_b(s, P, M);
        for (int m = 0; m < M; ++m) {
          const auto f = std::find(ops.begin(), ops.end(), Op{OpKind::forward, m});
          const auto b = std::find(ops.begin(), ops.end(), Op{OpKind::backward, m});
          ASSERT_NE(f, ops.end());
          ASSERT_NE(b, ops.end());
          EXPECT_LT(f, b);
          EXPECT_EQ(std::count(ops.begin(), ops.end(), Op{OpKind::forward, m}), 1);
          EXPECT_EQ(std::count(ops.begin(), ops.end(), Op{OpKind::backward, m}), 1);
          // The first stage never receives activations; the last never sends them.
          EXPECT_EQ(std::count(ops.begin(), ops.end(), Op{OpKind::recv_activation, m}), s > 0);
          EXPECT_EQ(std::count(ops.begin(), ops.end(), Op{OpKind::send_activation, m}), s < P - 1);
          EXPECT_EQ(std::count(ops.begin(), ops.end(), Op{OpKind::recv_gradient, m}), s < P - 1);
          EXPECT_EQ(std::count(ops.begin(), ops.end(), Op{OpKind::send_gradient, m}), s > 0);
        }
      }
    }
  }
}

// No deadlock, and with equal forward and backward costs the makespan is the
// textbook 1F1B figure (M + P - 1) x (f + b): the bubble and nothing more.
TEST(OneFOneB, RunsWithoutDeadlockAndWithTheTextbookBubble) {
  for (int P = 1; P <= 8; ++P) {
    for (int M = 1; M <= 12; ++M) {
      SCOPED_TRACE("P=" + std::to_string(P) + " M=" + std::to_string(M));
      EXPECT_EQ(simulate(P, M), 2 * (M + P - 1));
    }
  }
}

TEST(OneFOneB, KnownListForTwoStages) {
  std::string first, last;
  for (const auto& op : one_f_one_b(0, 2, 3)) first += to_string(op) + " ";
  for (const auto& op : one_f_one_b(1, 2, 3)) last += to_string(op) + " ";
  EXPECT_EQ(first, "F0 sendA0 F1 sendA1 recvG0 B0 F2 sendA2 recvG1 B1 recvG2 B2 ");
  EXPECT_EQ(last, "recvA0 F0 B0 sendG0 recvA1 F1 B1 sendG1 recvA2 F2 B2 sendG2 ");
}

TEST(OneFOneB, RejectsImpossibleArguments) {
  EXPECT_THROW(one_f_one_b(2, 2, 4), std::invalid_argument);
  EXPECT_THROW(one_f_one_b(0, 0, 4), std::invalid_argument);
  EXPECT_THROW(one_f_one_b(0, 2, 0), std::invalid_argument);
}

}  // namespace
}  // namespace parcae::runtime
