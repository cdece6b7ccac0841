// Run under mpirun -np 7: rank 0 plays the coordinator, ranks 1..6 workers.
#include <mpi.h>

#include <gtest/gtest.h>

#include "parcae/runtime/groups.hpp"

namespace parcae::runtime {
namespace {

int world_rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int world_size() {
  int n = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}
int rank_in(MPI_Comm c) {
  int r = -1;
  MPI_Comm_rank(c, &r);
  return r;
}
int size_of(MPI_Comm c) {
  int n = -1;
  MPI_Comm_size(c, &n);
  return n;
}

// The communicators of each layout have the right members, and summing over a
// pipeline / data communicator reaches exactly the ranks it should.
void check_groups(const Groups& g, const Layout& layout) {
  const auto p = layout.placement_of(world_rank());
  ASSERT_EQ(g.active(), p.has_value());
  if (!p) {
    EXPECT_EQ(g.pipeline(), MPI_COMM_NULL);
    return;
  }
  EXPECT_EQ(size_of(g.active_comm()), layout.active());
  EXPECT_EQ(size_of(g.pipeline()), layout.pp());
  EXPECT_EQ(size_of(g.data()), layout.dp());
  EXPECT_EQ(rank_in(g.pipeline()), p->stage);
  EXPECT_EQ(rank_in(g.data()), p->replica);
  // The sum of world ranks over my pipeline = the ranks of my replica's stages.
  int mine = world_rank(), sum = 0, expected = 0;
  MPI_Allreduce(&mine, &sum, 1, MPI_INT, MPI_SUM, g.pipeline());
  for (int s = 0; s < layout.pp(); ++s) expected += layout.rank_of(p->replica, s);
  EXPECT_EQ(sum, expected);
  MPI_Allreduce(&mine, &sum, 1, MPI_INT, MPI_SUM, g.data());
  expected = 0;
  for (int r = 0; r < layout.dp(); ++r) expected += layout.rank_of(r, p->stage);
  EXPECT_EQ(sum, expected);
}

TEST(Groups, RegroupThroughManyLayoutsWithoutLeaks) {
  ASSERT_EQ(world_size(), 7) << "run with mpirun -np 7";
  const int workers = world_size() - 1;
  using P = std::optional<Placement>;
  const Layout layouts[] = {
      Layout::dense(workers, 1, 1), Layout::dense(workers, 2, 3), Layout::dense(workers, 3, 2),
      Layout::dense(workers, 1, 4), Layout::dense(workers, 6, 1), Layout::dense(workers, 1, 6),
      // Survivors regrouped out of order, with holes: ranks 2 and 5 parked.
      Layout::from_placements(2, 2, {Placement{1, 1}, P{}, Placement{0, 0}, Placement{0, 1}, P{},
                                     Placement{1, 0}}),
      Layout::dense(workers, 2, 2)};
  const int before = Groups::communicators_alive();
  {
    Groups g(MPI_COMM_WORLD);
    for (int round = 0; round < 3; ++round) {
      for (const auto& layout : layouts) {
        g.regroup(layout);
        check_groups(g, layout);
        EXPECT_EQ(Groups::communicators_alive() - before, g.active() ? 3 : 0);
      }
    }
  }
  EXPECT_EQ(Groups::communicators_alive(), before);
}

}  // namespace
}  // namespace parcae::runtime
