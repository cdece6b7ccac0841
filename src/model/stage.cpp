// A contiguous range of layers run as a flat list of calls (see stage.hpp).
#include <algorithm>
#include <stdexcept>

#include "parcae/error.hpp"
#include "parcae/model/stage.hpp"

namespace parcae::model {

namespace {

std::vector<Shard> fresh_shards(const GptConfig& cfg, int first, int end, std::uint64_t seed) {
  cfg.validate();
  if (first < 0 || end > cfg.num_layers() || first >= end)
    throw InputError("stage layers [" + std::to_string(first) + ", " + std::to_string(end) +
                     ") of a model with " + std::to_string(cfg.num_layers()) + " layers");
  std::vector<Shard> shards;
  for (int l = first; l < end; ++l) shards.push_back(make_shard(cfg, l, seed));
  return shards;
}

}  // namespace

Stage::Stage(const GptConfig& cfg, int first_layer, int end_layer, std::uint64_t seed)
    : Stage(cfg, fresh_shards(cfg, first_layer, end_layer, seed)) {}

Stage::Stage(const GptConfig& cfg, std::vector<Shard> shards) : cfg_(cfg), shards_(std::move(shards)) {
  cfg_.validate();
  if (shards_.empty()) throw InputError("a stage needs at least one layer");
  first_ = shards_.front().layer;
  end_ = first_ + static_cast<int>(shards_.size());
  for (int l = first_; l < end_; ++l) {
    const Shard& s = shards_[l - first_];
    specs_.push_back(layer_spec(cfg_, l));  // throws when l is outside the model
    if (s.layer != l)
      throw InputError("stage shards must be consecutive layers: expected layer " +
                       std::to_string(l) + ", got " + std::to_string(s.layer));
    const auto size = static_cast<std::size_t>(specs_.back().size);
    if (s.param.size() != size || s.adam_m.size() != size || s.adam_v.size() != size)
      throw InputError("shard of layer " + specs_.back().name() + " holds " +
                       std::to_string(s.param.size()) + " parameters; this model's layer has " +
                       std::to_string(size));
    grads_.emplace_back(size, 0.0f);
  }
}

StageActivations Stage::make_activations(int B, int T) const {
  StageActivations acts;
  for (const auto& spec : specs_) acts.emplace_back(cfg_, spec.kind, B, T);
  return acts;
}

double Stage::forward(StageActivations& acts, const MicroBatch& mb, const float* inp) {
  check_micro_batch(cfg_, mb);
  for (int l = first_; l < end_; ++l) {
    const int i = l - first_;
    const float* x = i == 0 ? inp : acts[i - 1].out;
    layer_forward(cfg_, specs_[i], shards_[i].param.data(), acts[i], x, mb);
  }
  if (!has_head()) return 0.0;
  const float* losses = acts.back().losses;
  const std::int64_t n = std::int64_t{mb.B} * mb.T;
  double sum = 0.0;
  for (std::int64_t i = 0; i < n; ++i) sum += losses[i];
  return sum / static_cast<double>(n);
}

void Stage::backward(const StageActivations& acts, const MicroBatch& mb, const float* inp,
                     const float* dout, float dloss, float* dinp) {
  const std::size_t NC = static_cast<std::size_t>(mb.B) * mb.T * cfg_.channels;
  for (auto& d : dx_) d.resize(NC);
  // dx_[0] and dx_[1] take turns as "d of this layer's output" and "d of its
  // input"; the stage's first layer writes into the caller's dinp instead.
  const float* d_out = dout;
  for (int l = end_ - 1; l >= first_; --l) {
    const int i = l - first_;
    float* d_in = i == 0 && dinp != nullptr ? dinp : dx_[l % 2].data();
    if (d_in != nullptr && specs_[i].kind != LayerKind::embedding) std::fill(d_in, d_in + NC, 0.0f);
    const float* x = i == 0 ? inp : acts[i - 1].out;
    layer_backward(cfg_, specs_[i], shards_[i].param.data(), grads_[i].data(), d_in, d_out, dloss,
                   acts[i], x, mb, workspace_);
    d_out = d_in;
  }
}

void Stage::zero_grads() {
  for (auto& g : grads_) std::fill(g.begin(), g.end(), 0.0f);
}

double Stage::grad_sq_norm() const {
  double sum = 0.0;
  for (const auto& g : grads_) sum += kernels::cpu::grad_sq_norm(g.data(), static_cast<std::int64_t>(g.size()));
  return sum;
}

void Stage::scale_grads(float factor) {
  for (auto& g : grads_) kernels::cpu::scale(g.data(), static_cast<std::int64_t>(g.size()), factor);
}

void Stage::adamw_step(const kernels::cpu::AdamW& hp) {
  for (std::size_t i = 0; i < shards_.size(); ++i) model::adamw_step(shards_[i], specs_[i], grads_[i].data(), hp);
}

}  // namespace parcae::model
