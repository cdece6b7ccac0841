#pragma once
// The cost model from the live job, not the paper's constants: at the start
// the workers measure what `parcae profile` measures (each layer's forward and
// backward, AdamW, point-to-point transfer times up to a shard's size, the
// gradient allreduce) and how long a regroup of the world takes; the 1F1B
// pipeline model turns them into a throughput for every (D, P), and the
// migration costs follow from the measured transfers: this system never
// restarts a process, so a reconfiguration is a regroup plus the shards it moves.
#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "parcae/elastic/host_share.hpp"
#include "parcae/elastic/store_speed.hpp"
#include "parcae/liveput/cost_model.hpp"
#include "parcae/liveput/pipeline_model.hpp"
#include "parcae/runtime/messages.hpp"
#include "parcae/runtime/train_config.hpp"

namespace parcae::elastic {

struct LiveCosts {
  runtime::ProfileMeasurements measured;
  double regroup_ms = 0.0;  // one regroup of every rank
  StoreSpeed store;         // the checkpoint store under `store_root`, as rank 1 measured it
  HostCrowding crowding;    // how the workers share their hosts' CPUs
};

// Collective over the world: the most crowded host's workers (world ranks
// 1..) per CPU its ranks may run on, on every rank.
HostCrowding measure_host_crowding(MPI_Comm world);

// Collective over the world (1 coordinator + W workers); the result on every
// rank. `store_root`: where checkpoints go (the store's speed is measured there).
LiveCosts measure_live_costs(MPI_Comm world, const runtime::TrainConfig& cfg, int repeats,
                             const std::filesystem::path& store_root =
                                 std::filesystem::temp_directory_path());

// Point-to-point transfers are measured up to this many bytes; larger shards
// are charged by linear scaling of the largest measurement.
inline constexpr double kLargestMeasuredTransfer = 16.0 * (1 << 20);

liveput::PipelineModel pipeline_model(const runtime::TrainConfig& cfg,
                                      const runtime::ProfileMeasurements& m);

// Throughput from the pipeline model, slowed where workers share a host's
// CPUs (host_share.hpp), or from `profile_path`, a table in the
// format of ../shared/profiles/*.csv, when given), migration costs from the
// measured transfers and regroup, checkpoint save and load from the measured
// store (the state's bytes at its speed); `interval_s` is an interval of trace time,
// `notice_s` the preemption notice (0: a stage that loses every replica rolls back).
liveput::CostModel live_cost_model(const LiveCosts& costs, const runtime::TrainConfig& cfg,
                                   int workers, double interval_s,
                                   const std::string& profile_path = "", double notice_s = 0.0);

// Each layer's forward + backward: what stages are balanced by.
std::vector<double> balance_costs(const LiveCosts& costs);
// Each layer's shard: parameters and two AdamW moments, float32.
std::vector<std::int64_t> shard_bytes(const model::GptConfig& cfg);

}  // namespace parcae::elastic
