// Measurements for the cost model (see measure.hpp).
#include "parcae/runtime/measure.hpp"

#include <algorithm>
#include <span>

#include "parcae/compute/stage.hpp"
#include "parcae/model/layers.hpp"
#include "parcae/rng.hpp"
#include "parcae/runtime/groups.hpp"
#include "parcae/runtime/mpi_transport.hpp"
#include "parcae/util/stats.hpp"
#include "parcae/util/stopwatch.hpp"

namespace parcae::runtime {
namespace {

using util::median;
using util::Stopwatch;

std::vector<float> random_floats(std::size_t n, Rng& rng) {
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(rng.normal());
  return v;
}

}  // namespace

std::vector<LayerTiming> measure_layers(const model::GptConfig& cfg, int repeats,
                                        compute::Backend& backend) {
  const int B = cfg.micro_batch, T = cfg.seq_len;
  const std::size_t n = static_cast<std::size_t>(B) * T, acts = n * cfg.channels;
  Rng rng(1);
  std::vector<int> tokens(n), targets(n);
  for (std::size_t i = 0; i < n; ++i) {
    tokens[i] = static_cast<int>(rng.below(cfg.vocab));
    targets[i] = static_cast<int>(rng.below(cfg.vocab));
  }
  const model::MicroBatch mb{tokens.data(), targets.data(), B, T};
  compute::DeviceArray<float> input(backend, acts), dout(backend, acts), dinp(backend, acts);
  input.upload(random_floats(acts, rng));
  dout.upload(random_floats(acts, rng));
  std::vector<LayerTiming> out;
  for (int l = 0; l < cfg.num_layers(); ++l) {
    compute::Stage stage(cfg, l, l + 1, /*seed=*/1, backend);
    auto a = stage.make_activations(B, T);
    const float* inp = l == 0 ? nullptr : input.data();
    const float* grad_out = l == cfg.num_layers() - 1 ? nullptr : dout.data();
    std::vector<double> f, b;
    for (int r = 0; r <= repeats; ++r) {  // the first round warms caches up
      Stopwatch watch;
      stage.forward(a, mb, inp);
      backend.synchronize();
      if (r > 0) f.push_back(watch.ms());
      watch.restart();
      stage.backward(a, inp, grad_out, 1.0f / n, l == 0 ? nullptr : dinp.data());
      backend.synchronize();
      if (r > 0) b.push_back(watch.ms());
    }
    out.push_back({median(f), median(b), stage.parameters()});
  }
  return out;
}

double measure_adamw_ns_per_param(const model::GptConfig& cfg, int repeats,
                                  compute::Backend& backend) {
  compute::Stage stage(cfg, 0, cfg.num_layers(), 1, backend);
  kernels::AdamW hp;
  std::vector<double> times;
  for (int r = 0; r <= repeats; ++r) {
    const Stopwatch watch;
    stage.adamw_step(hp);
    backend.synchronize();
    if (r > 0) times.push_back(watch.ms());
  }
  return median(times) * 1e6 / static_cast<double>(stage.parameters());
}

std::vector<std::pair<double, double>> measure_p2p(MPI_Comm world, int a, int b, double max_bytes,
                                                   int repeats) {
  int rank = 0;
  MPI_Comm_rank(world, &rank);
  std::vector<std::pair<double, double>> table;
  if (rank != a && rank != b) return table;
  const int peer = rank == a ? b : a;
  for (double bytes = 4; bytes <= std::max(4.0, max_bytes); bytes *= 2) {
    std::vector<float> buf(static_cast<std::size_t>(bytes / 4));
    const int count = static_cast<int>(buf.size());
    std::vector<double> one_way;
    for (int r = 0; r <= repeats; ++r) {
      const Stopwatch watch;
      if (rank == a) {
        MPI_Send(buf.data(), count, MPI_FLOAT, peer, 11, world);
        MPI_Recv(buf.data(), count, MPI_FLOAT, peer, 11, world, MPI_STATUS_IGNORE);
      } else {
        MPI_Recv(buf.data(), count, MPI_FLOAT, peer, 11, world, MPI_STATUS_IGNORE);
        MPI_Send(buf.data(), count, MPI_FLOAT, peer, 11, world);
      }
      if (r > 0) one_way.push_back(watch.ms() * 1000.0 / 2);
    }
    table.emplace_back(bytes, median(one_way));
  }
  return table;
}

AllreduceTiming measure_allreduce(MPI_Comm world, const model::GptConfig& cfg, int replicas,
                                  int repeats) {
  int size = 0;
  MPI_Comm_size(world, &size);
  Groups groups(world);
  groups.regroup(Layout::dense(size - 1, replicas, 1));
  if (!groups.active()) return {};
  std::vector<std::vector<float>> layers;
  std::size_t total = 0;
  for (int l = 0; l < cfg.num_layers(); ++l) {
    layers.emplace_back(model::layer_spec(cfg, l).size, 1.0f);
    total += layers.back().size();
  }
  const std::vector<std::span<float>> spans(layers.begin(), layers.end());
  std::vector<float> flat(total, 1.0f);
  MpiCollective collective(groups.data());
  std::vector<double> bucketed, plain;
  for (int r = 0; r <= repeats; ++r) {
    MPI_Barrier(groups.data());
    Stopwatch watch;
    collective.allreduce_sum(spans);
    if (r > 0) bucketed.push_back(watch.ms());
    MPI_Barrier(groups.data());
    watch.restart();
    MPI_Allreduce(MPI_IN_PLACE, flat.data(), static_cast<int>(total), MPI_FLOAT, MPI_SUM,
                  groups.data());
    if (r > 0) plain.push_back(watch.ms());
  }
  return {double(total) * sizeof(float), median(bucketed), median(plain)};
}

}  // namespace parcae::runtime
