// Run under mpirun -np 5: shards of the tiny model move between ranks 1..4 as
// a plan says (several layers per pair, a rank both sending and receiving,
// rank 0 taking no part) and arrive bit for bit.
#include <gtest/gtest.h>
#include <mpi.h>

#include "parcae/elastic/shard_exchange.hpp"

namespace parcae::elastic {
namespace {

model::Shard trained_shard(const model::GptConfig& cfg, int layer) {
  model::Shard s = model::make_shard(cfg, layer, 5);
  for (std::size_t i = 0; i < s.param.size(); ++i) {
    s.adam_m[i] = 0.001f * static_cast<float>(i % 97) - layer;
    s.adam_v[i] = 1e-6f * static_cast<float>(i % 13);
  }
  s.step = 40 + layer;
  return s;
}

TEST(ShardExchange, EveryShardArrivesWhole) {
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  ASSERT_EQ(size, 5) << "run with mpirun -np 5";
  const auto cfg = model::GptConfig::preset("tiny");
  // Before: rank 1 holds layers 0-2, rank 2 layers 3-5, rank 3 all; rank 4 none.
  std::vector<model::Shard> held;
  const auto holds = [&](int r, int l) {
    return r == 3 || (r == 1 && l <= 2) || (r == 2 && l >= 3);
  };
  for (int l = 0; l < cfg.num_layers(); ++l) {
    if (holds(rank, l)) held.push_back(trained_shard(cfg, l));
  }
  MigrationPlan plan;
  const auto bytes = [&](int l) { return 12 * model::layer_spec(cfg, l).size; };
  // Rank 4 takes everything from three sources; rank 1 takes 3-5 from rank 2.
  for (int l = 0; l < 6; ++l)
    plan.transfers.push_back({l, l < 2 ? 1 : (l < 4 ? 3 : 2), 4, bytes(l)});
  for (int l = 3; l < 6; ++l) plan.transfers.push_back({l, 2, 1, bytes(l)});
  ExchangeStats stats;
  const auto got = exchange_shards(MPI_COMM_WORLD, plan, held, cfg, &stats);
  std::vector<int> expect;
  for (const auto& t : plan.transfers) {
    if (t.to == rank) expect.push_back(t.layer);
  }
  ASSERT_EQ(got.size(), expect.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].layer, expect[i]);
    EXPECT_TRUE(got[i] == trained_shard(cfg, expect[i])) << "layer " << expect[i];
  }
  std::int64_t sent = 0;
  for (const auto& t : plan.transfers) {
    if (t.from == rank) sent += t.bytes;
  }
  EXPECT_EQ(stats.bytes_sent, sent);
}

TEST(ShardExchange, AskingForALayerNotHeldIsALogicError) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const auto cfg = model::GptConfig::preset("tiny");
  MigrationPlan plan;
  plan.transfers.push_back({2, 1, 2, 0});
  if (rank == 1) {
    EXPECT_THROW(exchange_shards(MPI_COMM_WORLD, plan, {}, cfg), std::logic_error);
  }
  // Rank 2 would wait for the shard: it takes no part here.
}

}  // namespace
}  // namespace parcae::elastic
