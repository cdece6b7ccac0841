#include "parcae/liveput/cost_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "parcae/error.hpp"

namespace parcae::liveput {

CostModel::CostModel(ThroughputTable table, P2pTable p2p, LayerParams layers,
                     CostConstants constants, ConfigSpace space)
    : table_(std::move(table)),
      p2p_(std::move(p2p)),
      layers_(std::move(layers)),
      k_(constants),
      space_(space) {
  validate(k_);
  if (layers_.size() < 2) throw InputError("the model needs at least 2 layers");
  for (std::int64_t p : layers_)
    if (p < 0) throw InputError("negative layer size");
  stages_.resize(layers_.size());
  for (int pp = 1; pp < num_layers(); ++pp) {
    Stages& st = stages_[pp];
    st.boundaries = paper_partition(num_layers(), pp);
    st.params = liveput::stage_params(layers_, st.boundaries);
    for (std::int64_t p : st.params) {
      const double ms = p2p_ms(static_cast<double>(p) * k_.bytes_per_param);
      st.transfer_ms.push_back(ms);
      st.max_transfer_ms = std::max(st.max_transfer_ms, ms);
      st.total_transfer_ms += ms;
    }
  }
  for (const auto& row : table_.rows())
    if (samples_per_s(row.config) > 0.0) configs_.push_back(row.config);
  std::sort(configs_.begin(), configs_.end(), [](Config a, Config b) {
    return a.dp != b.dp ? a.dp < b.dp : a.pp < b.pp;
  });
}

double CostModel::samples_per_s(Config c) const {
  if (c.pp < space_.min_pp || c.pp > space_.max_pp || c.pp >= num_layers()) return 0.0;
  return table_.samples_per_s(c);
}

CostModel CostModel::at_speed(double speed) const {
  if (!(speed > 0.0)) throw std::invalid_argument("CostModel::at_speed: speed must be positive");
  std::vector<ProfileRow> rows = table_.rows();
  for (auto& row : rows) {
    row.samples_per_s *= speed;
    row.iteration_ms /= speed;
  }
  CostModel scaled = *this;
  scaled.table_ = ThroughputTable(std::move(rows), table_.source());
  return scaled;
}

Config CostModel::best_config(int n) const {
  Config best{};
  double best_rate = 0.0;
  for (Config c : configs_) {  // dp ascending, then pp ascending; strict > keeps the first
    if (c.instances() > n) continue;
    const double rate = samples_per_s(c);
    if (rate > best_rate) best = c, best_rate = rate;
  }
  return best;
}

double CostModel::rebuild_ms(Config c, RestartKind kind) const {
  const double groups = c.dp + c.pp + 1 + c.dp * c.pp;
  return k_.rebuild_base_ms +
         groups * (kind == RestartKind::add ? k_.rebuild_add_ms : k_.rebuild_remove_ms);
}

double CostModel::model_build_ms(int pp) const {
  return p2p_ms(k_.embedding_bytes) +
         k_.layer_build_ms * std::ceil(static_cast<double>(k_.build_layers) / pp);
}

double CostModel::restart_ms(Config c, RestartKind kind) const {
  return (kind == RestartKind::add ? k_.rendezvous_ms : 0.0) + rebuild_ms(c, kind) +
         k_.process_start_ms + model_build_ms(c.pp);
}

double CostModel::intra_stage_ms(Config c) const {
  return rebuild_ms(c, RestartKind::remove) + k_.process_start_ms;
}

double CostModel::checkpoint_restart_ms(Config c, RestartKind kind, bool first_start) const {
  return restart_ms(c, kind) + (first_start ? 0.0 : k_.checkpoint_ms) +
         stages_.at(c.pp).total_transfer_ms;
}

double CostModel::rollback_ms(Config c) const {
  return restart_ms(c, RestartKind::add) + k_.rollback_extra_ms;
}

void validate(const CostConstants& k) {
  // Named as the command-line options that set them.
  const std::pair<const char*, double> values[] = {
      {"rendezvous-ms", k.rendezvous_ms},     {"process-start-ms", k.process_start_ms},
      {"checkpoint-ms", k.checkpoint_ms},     {"layer-build-ms", k.layer_build_ms},
      {"embedding-bytes", k.embedding_bytes}, {"rebuild-base-ms", k.rebuild_base_ms},
      {"rebuild-add-ms", k.rebuild_add_ms},   {"rebuild-remove-ms", k.rebuild_remove_ms},
      {"bytes-per-param", k.bytes_per_param}, {"notice-seconds", k.notice_s},
      {"rollback-extra-ms", k.rollback_extra_ms}};
  for (const auto& [name, v] : values)
    if (!(v >= 0.0) || !std::isfinite(v))
      throw InputError(std::string("--") + name + ": must be a finite number >= 0, got " +
                       std::to_string(v));
  if (!(k.interval_s > 0.0)) throw InputError("--interval-seconds: must be > 0");
  if (k.build_layers < 0) throw InputError("--build-layers: must be >= 0");
}

}  // namespace parcae::liveput
