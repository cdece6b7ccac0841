#pragma once
// Workers that share a host's CPUs. The layer costs are measured by one worker
// while the others wait, so the pipeline model prices every (D, P) as if each
// worker had a machine of its own. On a spot GPU cluster that is true; when
// CPU workers outnumber a host's CPUs (a test cluster, this 2-core machine
// with 4 workers) the D x P ranks that train at once split the CPUs, and an
// unscaled model predicts up to (workers / CPUs) times the throughput the job
// reaches. The table is scaled by that crowding, and only by it.
#include "parcae/liveput/profile.hpp"

namespace parcae::elastic {

// How a job's worker ranks sit on its hosts: the most crowded host's workers
// per CPU it may use (its ranks' CPU affinity, together), and the job's workers.
// workers_per_cpu 0: not measured (nothing is scaled).
struct HostCrowding {
  double workers_per_cpu = 0.0;
  int workers = 0;
};

// The slowdown of a configuration whose `active` ranks train at once: the
// layout planner spreads them over the hosts as the workers are, so the most
// crowded host runs active * workers_per_cpu / workers ranks per CPU; under
// one per CPU nothing is shared (1).
double crowding_slowdown(const HostCrowding& crowding, int active);

// `table` with every configuration's throughput divided by its slowdown (its
// iteration time multiplied by it).
liveput::ThroughputTable crowded_table(const liveput::ThroughputTable& table,
                                       const HostCrowding& crowding);

}  // namespace parcae::elastic
