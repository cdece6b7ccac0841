// Throughput of workers that share a host's CPUs (see host_share.hpp).
#include "parcae/elastic/host_share.hpp"

#include <algorithm>
#include <vector>

namespace parcae::elastic {

double crowding_slowdown(const HostCrowding& crowding, int active) {
  if (crowding.workers_per_cpu <= 0 || crowding.workers <= 0 || active <= 0) return 1.0;
  const double per_cpu = active * crowding.workers_per_cpu / crowding.workers;
  return std::max(1.0, per_cpu);
}

liveput::ThroughputTable crowded_table(const liveput::ThroughputTable& table,
                                       const HostCrowding& crowding) {
  std::vector<liveput::ProfileRow> rows = table.rows();
  for (auto& row : rows) {
    const double slowdown = crowding_slowdown(crowding, row.config.instances());
    row.iteration_ms *= slowdown;
    row.samples_per_s /= slowdown;
  }
  return liveput::ThroughputTable(std::move(rows), table.source());
}

}  // namespace parcae::elastic
