#include "parcae/runtime/train_config.hpp"

#include <unistd.h>

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "parcae/error.hpp"
#include "parcae/model/activations.hpp"
#include "parcae/model/layers.hpp"
#include "parcae/model/partition.hpp"

namespace parcae::runtime {
namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw InputError(message);
}

double physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * page : 0.0;
}

std::string gib(double bytes) {
  std::ostringstream out;
  out << std::setprecision(3) << bytes / (1024.0 * 1024 * 1024) << " GiB";
  return out.str();
}

}  // namespace

double TrainConfig::worker_bytes() const {
  const int B = model.micro_batch, T = model.seq_len;
  // What the CPU backend keeps of attention for its backward: every B x H x T x T score.
  const auto attention = static_cast<std::int64_t>(B) * model.heads * T * T;
  const auto ranges = model::partition_layers(stage_balance_costs(*this), pp);
  const int per_replica = (micro_batches() + dp - 1) / dp;
  double most = 0;
  for (int s = 0; s < pp; ++s) {
    double params = 0, activations = 0;
    for (int l = ranges[s].first_layer; l < ranges[s].end_layer; ++l) {
      const auto spec = model::layer_spec(model, l);
      params += static_cast<double>(spec.size);
      activations += static_cast<double>(model::LayerActivations::floats(model, spec.kind, B, T, attention));
    }
    const int in_flight = std::min(pp - s, per_replica);  // 1F1B: stage s holds P - s micro-batches
    most = std::max(most, 4.0 * (4 * params + in_flight * activations));
  }
  return most;
}

void TrainConfig::validate(int workers) const {
  model.validate();
  const int B = model.micro_batch;
  require(steps >= 1, "--steps must be at least 1");
  require(global_batch >= 1, "--global-batch must be at least 1");
  require(global_batch % B == 0, "--global-batch " + std::to_string(global_batch) +
                                     " is not a multiple of --micro-batch " + std::to_string(B));
  require(dp >= 1 && pp >= 1, "--dp and --pp must be at least 1");
  require(pp <= model.num_layers(),
          "--pp " + std::to_string(pp) + " exceeds the model's " +
              std::to_string(model.num_layers()) + " layers (embedding, " +
              std::to_string(model.layers) + " blocks, head)");
  require(dp * pp <= workers,
          "--dp " + std::to_string(dp) + " x --pp " + std::to_string(pp) + " needs " +
              std::to_string(dp * pp) + " workers but the job has " + std::to_string(workers) +
              " (run mpirun -np " + std::to_string(dp * pp + 1) +
              ": rank 0 coordinates and never trains)");
  require(dp <= micro_batches(), "--dp " + std::to_string(dp) + " exceeds the " +
                                     std::to_string(micro_batches()) +
                                     " micro-batches of a step: a replica would idle");
  require(lr.peak > 0, "--lr must be positive");
  require(lr.min_lr >= 0 && lr.min_lr <= lr.peak, "--min-lr must be in [0, --lr]");
  require(lr.warmup_steps >= 0, "--warmup must not be negative");
  require(adamw.weight_decay >= 0, "--weight-decay must not be negative");
  require(log_every >= 1, "--log-every must be at least 1");
  require(eval_every >= 0, "--eval-every must not be negative");
  require(eval_batches >= 1, "--eval-batches must be at least 1");
  require(layer_costs.empty() || static_cast<int>(layer_costs.size()) == model.num_layers(),
          "layer costs: " + std::to_string(layer_costs.size()) + " given for a model of " +
              std::to_string(model.num_layers()) + " layers");
  const double need = worker_bytes(), have = physical_memory_bytes();
  require(have == 0 || need <= have,
          "the model needs about " + gib(need) + " per worker (parameters, gradients and AdamW " +
              "moments of its stage, activations of the micro-batches in flight) but this " +
              "machine has " + gib(have) + ": use a smaller model or --micro-batch, or more --pp");
}

std::vector<double> stage_balance_costs(const TrainConfig& cfg) {
  if (!cfg.layer_costs.empty()) return cfg.layer_costs;
  const auto& m = cfg.model;
  const double C = m.channels, T = m.seq_len, Vp = m.padded_vocab();
  std::vector<double> costs(m.num_layers(), 24 * C * C + 4 * T * C);
  costs.front() = C;
  costs.back() = 2 * C * Vp + 5 * Vp;
  return costs;
}

Share replica_share(int micro_batches, int replicas, int replica) {
  const int base = micro_batches / replicas, extra = micro_batches % replicas;
  return {replica * base + std::min(replica, extra), base + (replica < extra ? 1 : 0)};
}

}  // namespace parcae::runtime
