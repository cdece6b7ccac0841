// The live job's cost model (see live_costs.hpp).
#include "parcae/elastic/live_costs.hpp"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "parcae/liveput/p2p.hpp"
#include "parcae/liveput/profile.hpp"
#include "parcae/model/layers.hpp"
#include "parcae/runtime/groups.hpp"
#include "parcae/runtime/measure.hpp"

namespace parcae::elastic {

std::vector<std::int64_t> shard_bytes(const model::GptConfig& cfg) {
  std::vector<std::int64_t> bytes;
  for (std::int64_t n : model::layer_sizes(cfg)) bytes.push_back(3 * 4 * n);
  return bytes;
}

HostCrowding measure_host_crowding(MPI_Comm world) {
  int rank = 0, size = 0;
  MPI_Comm_rank(world, &rank);
  MPI_Comm_size(world, &size);
  MPI_Comm host = MPI_COMM_NULL;
  MPI_Comm_split_type(world, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &host);
  // The CPUs this host's ranks may use: the union of their affinity masks
  // (ranks bound one per core each see one CPU, together all of them).
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (sched_getaffinity(0, sizeof cpus, &cpus) != 0) CPU_ZERO(&cpus);
  unsigned char mask[sizeof cpus];
  std::memcpy(mask, &cpus, sizeof cpus);
  MPI_Allreduce(MPI_IN_PLACE, mask, static_cast<int>(sizeof mask), MPI_BYTE, MPI_BOR, host);
  std::memcpy(&cpus, mask, sizeof cpus);
  int workers_here = rank == 0 ? 0 : 1;
  MPI_Allreduce(MPI_IN_PLACE, &workers_here, 1, MPI_INT, MPI_SUM, host);
  MPI_Comm_free(&host);
  const int cpu_count = CPU_COUNT(&cpus);
  HostCrowding crowding;
  crowding.workers = size - 1;
  crowding.workers_per_cpu = cpu_count > 0 ? static_cast<double>(workers_here) / cpu_count : 0.0;
  MPI_Allreduce(MPI_IN_PLACE, &crowding.workers_per_cpu, 1, MPI_DOUBLE, MPI_MAX, world);
  return crowding;
}

LiveCosts measure_live_costs(MPI_Comm world, const runtime::TrainConfig& cfg, int repeats,
                             const std::filesystem::path& store_root) {
  int rank = 0, size = 0;
  MPI_Comm_rank(world, &rank);
  MPI_Comm_size(world, &size);
  const int workers = size - 1;
  LiveCosts costs;
  auto& m = costs.measured;
  if (rank == 1) {
    for (const auto& t : runtime::measure_layers(cfg.model, repeats))
      m.layers.push_back({t.forward_ms, t.backward_ms, t.params});
    m.optimizer_ns_per_param = runtime::measure_adamw_ns_per_param(cfg.model, repeats);
    costs.store = measure_store_speed(cfg.model, store_root);
  }
  double store[2] = {costs.store.write_gbps, costs.store.read_gbps};
  MPI_Bcast(store, 2, MPI_DOUBLE, 1, world);
  costs.store = {store[0], store[1]};
  if (workers >= 2) {
    const auto sizes = shard_bytes(cfg.model);
    const double activation = 4.0 * cfg.model.micro_batch * cfg.model.seq_len * cfg.model.channels;
    const double largest = std::max(
        2 * activation, static_cast<double>(*std::max_element(sizes.begin(), sizes.end())));
    m.p2p = runtime::measure_p2p(world, 1, 2, std::min(largest, kLargestMeasuredTransfer), repeats);
    const auto reduce = runtime::measure_allreduce(world, cfg.model, workers, repeats);
    // A ring moves 2 (D - 1) / D of the bytes per rank; read the bandwidth back from that.
    const double moved = 2.0 * (workers - 1) / workers * reduce.bytes;
    m.allreduce_gbps = moved * 8 / 1e9 / (std::max(reduce.bucketed_ms, 1e-6) / 1e3);
  }
  costs.measured = runtime::broadcast(m, 1, world);
  // Regroups between W replicas and one, as a reconfiguration does.
  runtime::Groups groups(world);
  const auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < std::max(1, repeats); ++r) {
    groups.regroup(runtime::Layout::dense(workers, r % 2 == 0 ? workers : 1, 1));
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() /
      std::max(1, repeats);
  MPI_Allreduce(MPI_IN_PLACE, &ms, 1, MPI_DOUBLE, MPI_MAX, world);
  costs.regroup_ms = ms;
  costs.crowding = measure_host_crowding(world);
  return costs;
}

liveput::PipelineModel pipeline_model(const runtime::TrainConfig& cfg,
                                      const runtime::ProfileMeasurements& m) {
  liveput::PipelineModel pm;
  pm.partition = liveput::PipelineModel::Partition::balanced;
  pm.global_batch = cfg.global_batch;
  pm.micro_batch = cfg.model.micro_batch;
  pm.activation_bytes = 4.0 * cfg.model.micro_batch * cfg.model.seq_len * cfg.model.channels;
  for (const auto& l : m.layers) pm.layers.push_back({l.forward_ms, l.backward_ms, l.params});
  pm.optimizer_ns_per_param = m.optimizer_ns_per_param;
  if (!m.p2p.empty()) {
    pm.p2p = liveput::P2pTable(m.p2p);
    pm.allreduce_gbps = m.allreduce_gbps;
    pm.allreduce_latency_ms = 0.0;
  }
  return pm;
}

liveput::CostModel live_cost_model(const LiveCosts& costs, const runtime::TrainConfig& cfg,
                                   int workers, double interval_s, const std::string& profile_path,
                                   double notice_s) {
  const auto pm = pipeline_model(cfg, costs.measured);
  liveput::ThroughputTable table =
      profile_path.empty() ? crowded_table(liveput::pipeline_table(pm, workers), costs.crowding)
                           : liveput::read_profile_file(profile_path);
  liveput::CostConstants k;
  k.interval_s = interval_s;
  // No process restarts: a reconfiguration regroups communicators (measured)
  // and moves shards over the measured links; nothing is rebuilt from scratch.
  k.rendezvous_ms = 0;
  k.process_start_ms = 0;
  k.layer_build_ms = 0;
  k.build_layers = 0;
  k.embedding_bytes = 0;
  k.rebuild_base_ms = costs.regroup_ms;
  k.rebuild_add_ms = 0;
  k.rebuild_remove_ms = 0;
  k.notice_s = notice_s;
  k.spares_in_job = true;
  // Checkpoint-based recovery is charged at the store's measured speed: the
  // reactive baseline saves and loads the whole state on every change, a
  // rollback loads it (the redone steps are charged apart). Where the store
  // could not be measured, nothing more than the regroup.
  double state_bytes = 0;
  for (const auto b : shard_bytes(cfg.model)) state_bytes += static_cast<double>(b);
  k.checkpoint_ms =
      store_write_ms(costs.store, state_bytes) + store_read_ms(costs.store, state_bytes);
  k.rollback_extra_ms = store_read_ms(costs.store, state_bytes);
  liveput::LayerParams params;
  for (const auto& l : costs.measured.layers) params.push_back(l.params);
  const int layers = static_cast<int>(params.size());
  const auto p2p = costs.measured.p2p.empty() ? liveput::paper_p2p_10gbps()
                                              : liveput::P2pTable(costs.measured.p2p);
  return liveput::CostModel(std::move(table), p2p, std::move(params), k, {1, layers});
}

std::vector<double> balance_costs(const LiveCosts& costs) {
  std::vector<double> out;
  for (const auto& l : costs.measured.layers) out.push_back(l.forward_ms + l.backward_ms);
  return out;
}

}  // namespace parcae::elastic
