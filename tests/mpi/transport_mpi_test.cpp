// Run under mpirun -np 5: a 2x2 layout on ranks 1..4, rank 0 parked.
#include <mpi.h>

#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "parcae/runtime/groups.hpp"
#include "parcae/runtime/mpi_transport.hpp"

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

}  // namespace
}  // namespace parcae::runtime
