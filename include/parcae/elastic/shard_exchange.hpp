#pragma once
// The migration executor's MPI edge: one rank's part of a MigrationPlan. A
// shard travels as four messages on one tag: its three float buffers, raw,
// without copies, and a header (layer, step, size, checksum). All of a rank's
// sends and receives are in flight at once, so no order of the plan can
// deadlock, and MPI's non-overtaking rule (same sender, same tag, same
// communicator) matches them in the plan's order: every buffer of a pair's
// shards first, then their headers, so the sender computes the checksums
// while the receiver copies. The receiver hashes each buffer on a helper
// thread as it lands and verifies every shard before it is used.
#include <mpi.h>

#include <cstdint>
#include <span>
#include <vector>

#include "parcae/elastic/migration_plan.hpp"
#include "parcae/model/config.hpp"
#include "parcae/model/shard.hpp"
#include "parcae/runtime/waiting.hpp"

namespace parcae::elastic {

struct ExchangeStats {
  std::int64_t bytes_sent = 0;
  std::int64_t bytes_received = 0;
  double seconds = 0.0;
};

// What a shard's sender says of it.
struct ShardHeader {
  int layer = 0;
  std::int64_t step = 0;
  std::int64_t floats = 0;  // per buffer
  std::uint64_t checksum = 0;  // Shard::checksum() at the sender
};

// Throws std::runtime_error naming the layer and the source rank `from` when
// `arrived` (its buffers hashing to `sums`; its step is the header's) is not
// the shard `header` describes.
void check_arrival(const ShardHeader& header, const model::Shard& arrived,
                   const model::Shard::BufferChecksums& sums, int from);

// Sends the shards of `held` (this rank's current state) that the plan asks
// of it and returns the shards it receives, in the plan's order. Ranks are
// ranks of `comm` (the world). Collective over the ranks the plan names: each
// must call it with the same plan. Throws std::runtime_error naming the layer
// and the source when a shard arrives corrupted, and std::logic_error when
// the plan asks this rank for a layer it does not hold. With `patience`, a
// rank that waits sends waiting notices naming its partners, so a partner
// that stopped is named by the coordinator's stall watch instead of hanging
// the job. `epoch` (the decision's) keeps the messages of a migration given up
// when a rank died (the wait's vigil threw; the requests and their buffers
// are leaked in flight, so `held` must outlive them too) apart from later ones.
std::vector<model::Shard> exchange_shards(MPI_Comm comm, const MigrationPlan& plan,
                                          std::span<const model::Shard> held,
                                          const model::GptConfig& cfg,
                                          ExchangeStats* stats = nullptr,
                                          const runtime::Patience* patience = nullptr,
                                          std::int64_t epoch = 0);

}  // namespace parcae::elastic
