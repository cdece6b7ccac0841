// Run under mpirun -np 5: a 2x2 layout on ranks 1..4, rank 0 parked.
#include <mpi.h>

#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "parcae/compute/backend.hpp"
#include "parcae/runtime/groups.hpp"
#include "parcae/runtime/host_staged.hpp"
#include "parcae/runtime/mpi_transport.hpp"
#include "parcae/runtime/stage_links.hpp"

namespace parcae::runtime {
namespace {

TEST(MpiTransport, ActivationsForwardAndGradientsBackward) {
  int size = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  ASSERT_EQ(size, 5) << "run with mpirun -np 5";
  Groups g(MPI_COMM_WORLD);
  g.regroup(Layout::dense(4, 2, 2));
  if (!g.active()) return;
  const auto [replica, stage] = *g.placement();
  MpiTransport t(g.pipeline());
  const int n = 1000;
  std::vector<float> buf(n);
  // Three micro-batches in flight at once: tags keep them apart.
  if (stage == 0) {
    std::vector<std::vector<float>> outs;
    for (int m = 0; m < 3; ++m) outs.emplace_back(n, 100.0f * replica + m);
    for (int m = 0; m < 3; ++m) t.send(outs[m], 1, m);
    for (int m = 2; m >= 0; --m) {
      t.recv(buf, 1, 1000 + m);
      EXPECT_EQ(buf[n - 1], -(100.0f * replica + m));
    }
    t.wait_sends();
  } else {
    std::vector<std::vector<float>> grads;
    for (int m = 0; m < 3; ++m) {
      t.recv(buf, 0, m);
      EXPECT_EQ(buf[0], 100.0f * replica + m);
      grads.emplace_back(n, -buf[0]);
    }
    for (int m = 2; m >= 0; --m) t.send(grads[m], 0, 1000 + m);
    t.wait_sends();
  }
}

TEST(MpiCollective, BucketedSumEqualsPlainSum) {
  Groups g(MPI_COMM_WORLD);
  g.regroup(Layout::dense(4, 2, 2));
  if (!g.active()) return;
  const int replica = g.placement()->replica;
  for (std::size_t bucket : {std::size_t{7}, std::size_t{1000}, std::size_t{1} << 20}) {
    std::vector<float> grads(1003);
    std::iota(grads.begin(), grads.end(), static_cast<float>(replica));
    MpiCollective(g.data(), bucket).allreduce_sum(grads);
    for (std::size_t i = 0; i < grads.size(); ++i) {
      ASSERT_EQ(grads[i], 2.0f * i + 1.0f) << "bucket " << bucket << " index " << i;  // (i+0)+(i+1)
    }
  }
}

// The host-staged links on the CPU backend (whose "device" is the host): the
// staging, the buffers' reuse and the handles are what a GPU rank runs.
TEST(HostStagedTransport, MessagesInFlightKeepTheirOwnStagingBuffers) {
  Groups g(MPI_COMM_WORLD);
  g.regroup(Layout::dense(4, 2, 2));
  if (!g.active()) return;
  const auto [replica, stage] = *g.placement();
  HostStagedTransport t(compute::cpu_backend(), g.pipeline());
  const int n = 1000;
  std::vector<float> buf(n);
  for (int round = 0; round < 2; ++round) {  // the second round reuses the pool's buffers
    if (stage == 0) {
      std::vector<std::vector<float>> outs;
      for (int m = 0; m < 3; ++m) outs.emplace_back(n, 100.0f * replica + 10.0f * round + m);
      std::vector<Transport::SendHandle> handles;
      for (int m = 0; m < 3; ++m) handles.push_back(t.send(outs[m], 1, m));
      // The source may change once staged: the message already left it.
      for (auto& out : outs) out.assign(n, -1.0f);
      t.wait(handles[1]);
      for (int m = 2; m >= 0; --m) {
        t.recv(buf, 1, 1000 + m);
        EXPECT_EQ(buf[n - 1], -(100.0f * replica + 10.0f * round + m));
      }
      t.wait_sends();
    } else {
      std::vector<std::vector<float>> grads;
      for (int m = 0; m < 3; ++m) {
        t.recv(buf, 0, m);
        EXPECT_EQ(buf[0], 100.0f * replica + 10.0f * round + m);
        EXPECT_EQ(buf[n - 1], buf[0]);
        grads.emplace_back(n, -buf[0]);
      }
      for (int m = 2; m >= 0; --m) t.send(grads[m], 0, 1000 + m);
      t.wait_sends();
    }
  }
}

TEST(HostStagedCollective, SumsEveryBufferLikeTheMpiCollective) {
  Groups g(MPI_COMM_WORLD);
  g.regroup(Layout::dense(4, 2, 2));
  if (!g.active()) return;
  const int replica = g.placement()->replica;
  HostStagedCollective staged(compute::cpu_backend(), g.data(), 7);
  for (int round = 0; round < 2; ++round) {
    std::vector<std::vector<float>> grads = {std::vector<float>(1003), std::vector<float>(5),
                                             std::vector<float>(64)};
    for (auto& grad : grads)
      std::iota(grad.begin(), grad.end(), static_cast<float>(replica + round));
    std::vector<std::span<float>> spans(grads.begin(), grads.end());
    staged.allreduce_sum(spans);
    for (const auto& grad : grads)
      for (std::size_t i = 0; i < grad.size(); ++i)
        ASSERT_EQ(grad[i], 2.0f * i + 1.0f + 2.0f * round) << "round " << round << " index " << i;
  }
  EXPECT_EQ(staged.sum(replica + 1.0), 3.0);
  EXPECT_EQ(staged.max(replica + 1.0), 2.0);
}

TEST(StageLinks, TheDataGroupHearsEveryMembersSeatInRankOrder) {
  Groups g(MPI_COMM_WORLD);
  g.regroup(Layout::dense(4, 2, 2));
  if (!g.active()) return;
  const auto [replica, stage] = *g.placement();
  const DeviceSeat mine{"node", "card-" + std::to_string(stage) + "-" + std::to_string(replica)};
  const auto seats = exchange_seats(mine, g.data());
  ASSERT_EQ(seats.size(), 2u);
  for (int r = 0; r < 2; ++r)
    EXPECT_EQ(seats[r].card, "card-" + std::to_string(stage) + "-" + std::to_string(r));
  // A CPU worker's links are the plain MPI ones.
  const auto links = make_stage_links(compute::cpu_backend(), g, 1 << 20, {});
  EXPECT_EQ(links.data_link, DataLink::mpi);
  EXPECT_NE(dynamic_cast<MpiTransport*>(links.pipeline.get()), nullptr);
  EXPECT_NE(dynamic_cast<MpiCollective*>(links.data.get()), nullptr);
}

}  // namespace
}  // namespace parcae::runtime
