#pragma once
// Measurements of this machine that feed the liveput cost model: each layer's
// forward and backward time, point-to-point transfer times between ranks, the
// gradient allreduce, and the optimizer step. `parcae profile` takes them and
// checks the pipeline model's predictions against real runs.
#include <mpi.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "parcae/compute/backend.hpp"
#include "parcae/model/config.hpp"

namespace parcae::runtime {

struct LayerTiming {
  double forward_ms = 0;   // one micro-batch
  double backward_ms = 0;
  std::int64_t params = 0;
};

// Median over `repeats` of each layer alone (as a one-layer stage) on one
// micro-batch of cfg.micro_batch x cfg.seq_len tokens, on `backend`. Local, no MPI.
std::vector<LayerTiming> measure_layers(const model::GptConfig& cfg, int repeats,
                                        compute::Backend& backend = compute::cpu_backend());

// Nanoseconds per parameter of one AdamW step over the whole model. Local.
double measure_adamw_ns_per_param(const model::GptConfig& cfg, int repeats,
                                  compute::Backend& backend = compute::cpu_backend());

// One-way times (bytes, microseconds) between world ranks a and b, by
// ping-pong, for sizes 4 B .. max_bytes (doubling). Collective over the world;
// the table is valid on rank a.
std::vector<std::pair<double, double>> measure_p2p(MPI_Comm world, int a, int b, double max_bytes,
                                                   int repeats);

struct AllreduceTiming {
  double bytes = 0;
  double bucketed_ms = 0;  // MpiCollective over per-layer buffers
  double plain_ms = 0;     // one MPI_Allreduce of all the bytes
};

// The model's gradients summed over world ranks 1..replicas. Collective over
// the world; the result is valid on world rank 1 (zeros elsewhere).
AllreduceTiming measure_allreduce(MPI_Comm world, const model::GptConfig& cfg, int replicas,
                                  int repeats);

}  // namespace parcae::runtime
