#include "parcae/liveput/pipeline_model.hpp"

#include <algorithm>
#include <cmath>

#include <fstream>

#include "csv_table.hpp"
#include "parcae/error.hpp"
#include "parcae/liveput/layers.hpp"
#include "parcae/model/partition.hpp"
#include "parcae/util/input_file.hpp"

namespace parcae::liveput {

namespace {

// Stage boundaries: bounds[s] .. bounds[s + 1] are stage s's layers.
std::vector<int> stage_bounds(const PipelineModel& m, int pp) {
  const int num_layers = static_cast<int>(m.layers.size());
  if (m.partition == PipelineModel::Partition::paper) return paper_partition(num_layers, pp);
  std::vector<double> costs;
  for (const auto& l : m.layers) costs.push_back(l.forward_ms + l.backward_ms);
  std::vector<int> bounds{0};
  for (const auto& range : model::partition_layers(costs, pp)) bounds.push_back(range.end_layer);
  return bounds;
}

// Ring allreduce: 2 (D - 1) steps, each moving 1/D of the buffer.
double ring_allreduce_ms(const PipelineModel& m, double bytes, int dp) {
  if (dp <= 1) return 0.0;
  const double bytes_per_ms = m.allreduce_gbps * 1e9 / 8.0 / 1000.0;
  return 2.0 * (dp - 1) * (bytes / dp / bytes_per_ms + m.allreduce_latency_ms);
}

}  // namespace

IterationTime iteration_time(const PipelineModel& m, Config c) {
  const int num_layers = static_cast<int>(m.layers.size());
  const int max_pp = m.partition == PipelineModel::Partition::paper ? num_layers - 1 : num_layers;
  if (c.dp < 1 || c.pp < 1 || c.pp > max_pp)
    throw InputError("pipeline model: " + std::to_string(c.dp) + "x" + std::to_string(c.pp) +
                     " does not fit " + std::to_string(num_layers) + " layers");
  if (m.micro_batch < 1 || m.global_batch < m.micro_batch * c.dp)
    throw InputError("pipeline model: the global batch has fewer micro-batches than replicas");
  IterationTime t;
  t.micro_batches = static_cast<int>(
      std::ceil(static_cast<double>(m.global_batch) / (static_cast<double>(m.micro_batch) * c.dp)));
  const std::vector<int> bounds = stage_bounds(m, c.pp);
  const double send_ms = c.pp > 1 ? m.p2p.milliseconds(m.activation_bytes) : 0.0;
  double sum = 0.0, slowest = 0.0;
  for (int s = 0; s < c.pp; ++s) {
    double f = 0.0, b = 0.0;
    std::int64_t params = 0;
    for (int l = bounds[s]; l < bounds[s + 1]; ++l) {
      f += m.layers[l].forward_ms;
      b += m.layers[l].backward_ms;
      params += m.layers[l].params;
    }
    if (s + 1 < c.pp) f += send_ms;  // activations to the next stage
    if (s > 0) b += send_ms;         // input gradients to the previous stage
    sum += f + b;
    slowest = std::max(slowest, f + b);
    t.allreduce_ms = std::max(t.allreduce_ms,
                              ring_allreduce_ms(m, params * m.gradient_bytes_per_param, c.dp));
    t.optimizer_ms = std::max(t.optimizer_ms, params * m.optimizer_ns_per_param / 1e6);
  }
  t.pipeline_ms = sum + (t.micro_batches - 1) * slowest;
  return t;
}

ThroughputTable pipeline_table(const PipelineModel& m, int max_instances) {
  std::vector<ProfileRow> rows;
  const int num_layers = static_cast<int>(m.layers.size());
  for (int dp = 1; dp <= max_instances; ++dp)
    for (int pp = 1; pp < num_layers && dp * pp <= max_instances; ++pp) {
      if (m.global_batch < m.micro_batch * dp) continue;
      const double ms = iteration_time(m, {dp, pp}).total_ms();
      if (ms > 0.0) rows.push_back({{dp, pp}, ms, m.global_batch / ms * 1000.0});
    }
  return ThroughputTable(std::move(rows), "<pipeline model>");
}

std::vector<LayerCost> parse_layer_costs(std::istream& in, const std::string& source) {
  std::vector<LayerCost> layers;
  for (const auto& r : detail::read_numeric_csv(in, source, {"forward_ms", "backward_ms", "params"}))
    layers.push_back({r.cells[0], r.cells[1], static_cast<std::int64_t>(r.cells[2])});
  if (layers.size() < 2) throw input_error_at(source, 0, "a model needs at least 2 layers");
  return layers;
}

std::vector<LayerCost> read_layer_costs_file(const std::string& path) {
  auto in = util::open_input(path, "layer costs file");
  return parse_layer_costs(in, path);
}

}  // namespace parcae::liveput
