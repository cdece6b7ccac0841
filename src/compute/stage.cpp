// A contiguous range of layers run as a flat list of calls (see stage.hpp).
#include "parcae/compute/stage.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "parcae/compute/layer_ops.hpp"
#include "parcae/error.hpp"

namespace parcae::compute {

namespace {

using model::LayerKind;

void check_range(const model::GptConfig& cfg, int first, int end) {
  cfg.validate();
  if (first < 0 || end > cfg.num_layers() || first >= end)
    throw InputError("stage layers [" + std::to_string(first) + ", " + std::to_string(end) +
                     ") of a model with " + std::to_string(cfg.num_layers()) + " layers");
}

// Grows `array` to at least `floats` floats (the contents are not kept).
void reserve(Backend& be, DeviceArray<float>& array, std::int64_t floats) {
  if (static_cast<std::int64_t>(array.size()) < floats)
    array = DeviceArray<float>(be, static_cast<std::size_t>(floats));
}

}  // namespace

Stage::Stage(const model::GptConfig& cfg, int first_layer, int end_layer, std::uint64_t seed,
             Backend& backend)
    : backend_(&backend), cfg_(cfg), first_(first_layer), end_(end_layer) {
  check_range(cfg_, first_, end_);
  // One layer at a time, so the host never holds more than one layer's shard.
  for (int l = first_; l < end_; ++l) {
    specs_.push_back(model::layer_spec(cfg_, l));
    const auto size = static_cast<std::size_t>(specs_.back().size);
    LayerState s{DeviceArray<float>(backend, size), DeviceArray<float>(backend, size),
                 DeviceArray<float>(backend, size), DeviceArray<float>(backend, size), 0};
    s.param.upload(model::make_shard(cfg_, l, seed).param);
    layers_.push_back(std::move(s));
  }
}

Stage::Stage(const model::GptConfig& cfg, std::vector<model::Shard> shards, Backend& backend)
    : backend_(&backend), cfg_(cfg) {
  cfg_.validate();
  if (shards.empty()) throw InputError("a stage needs at least one layer");
  first_ = shards.front().layer;
  end_ = first_ + static_cast<int>(shards.size());
  for (int l = first_; l < end_; ++l) {
    model::Shard& shard = shards[l - first_];
    specs_.push_back(model::layer_spec(cfg_, l));  // throws when l is outside the model
    if (shard.layer != l)
      throw InputError("stage shards must be consecutive layers: expected layer " +
                       std::to_string(l) + ", got " + std::to_string(shard.layer));
    const auto size = static_cast<std::size_t>(specs_.back().size);
    if (shard.param.size() != size || shard.adam_m.size() != size || shard.adam_v.size() != size)
      throw InputError("shard of layer " + specs_.back().name() + " holds " +
                       std::to_string(shard.param.size()) + " parameters; this model's layer has " +
                       std::to_string(size));
    LayerState s{DeviceArray<float>(backend, size), DeviceArray<float>(backend, size),
                 DeviceArray<float>(backend, size), DeviceArray<float>(backend, size), shard.step};
    s.param.upload(shard.param);
    s.adam_m.upload(shard.adam_m);
    s.adam_v.upload(shard.adam_v);
    shard = {};  // the host copy goes as soon as the device has it
    layers_.push_back(std::move(s));
  }
}

std::int64_t Stage::parameters() const {
  std::int64_t total = 0;
  for (const auto& spec : specs_) total += spec.size;
  return total;
}

model::Shard Stage::copy_shard(int layer) const {
  model::Shard shard;
  copy_shard(layer, shard);
  return shard;
}

void Stage::copy_shard(int layer, model::Shard& into) const {
  const LayerState& s = state(layer);
  into.layer = layer;
  into.step = s.step;
  for (auto [from, to] : {std::pair{&s.param, &into.param}, std::pair{&s.adam_m, &into.adam_m},
                          std::pair{&s.adam_v, &into.adam_v}}) {
    to->resize(from->size());  // uninitialised (model::Floats): the download writes it all
    from->download(*to);
  }
}

StageActivations Stage::make_activations(int B, int T) const {
  const std::int64_t att = backend_->kernels().attention_saved_floats(B, T, cfg_.heads);
  std::int64_t total = 0;
  for (const auto& spec : specs_)
    total += model::LayerActivations::floats(cfg_, spec.kind, B, T, att);
  const auto n = static_cast<std::size_t>(B) * T;
  StageActivations acts{B,
                        T,
                        DeviceArray<int>(*backend_, n),
                        DeviceArray<int>(*backend_, n),
                        {},
                        DeviceArray<float>(*backend_, static_cast<std::size_t>(total))};
  float* next = acts.buffer.data();
  for (const auto& spec : specs_) {
    acts.layers.push_back(model::LayerActivations::carve(cfg_, spec.kind, B, T, att, next));
    next += model::LayerActivations::floats(cfg_, spec.kind, B, T, att);
  }
  return acts;
}

double Stage::forward(StageActivations& acts, const model::MicroBatch& mb, const float* inp) {
  model::check_micro_batch(cfg_, mb);
  if (mb.B != acts.B || mb.T != acts.T)
    throw std::invalid_argument("Stage::forward: a micro-batch of " + std::to_string(mb.B) + " x " +
                                std::to_string(mb.T) + " into activations for " +
                                std::to_string(acts.B) + " x " + std::to_string(acts.T));
  const std::size_t n = static_cast<std::size_t>(mb.B) * mb.T;
  if (has_embedding()) acts.tokens.upload({mb.tokens, n});
  if (has_head()) acts.targets.upload({mb.targets, n});
  const DeviceTokens tokens{acts.tokens.data(), acts.targets.data()};
  for (int l = first_; l < end_; ++l) {
    const int i = l - first_;
    const float* x = i == 0 ? inp : acts.layers[i - 1].out;
    layer_forward(*backend_, cfg_, specs_[i], layers_[i].param.data(), acts.layers[i], x, tokens);
  }
  if (!has_head()) return 0.0;
  losses_.resize(n);
  backend_->to_host(losses_.data(), acts.layers.back().losses, n * sizeof(float));
  double sum = 0.0;
  for (float loss : losses_) sum += loss;
  return sum / static_cast<double>(n);
}

void Stage::backward(const StageActivations& acts, const float* inp, const float* dout, float dloss,
                     float* dinp) {
  const std::int64_t NC = std::int64_t{acts.B} * acts.T * cfg_.channels;
  std::int64_t scratch = 0;
  for (const auto& spec : specs_)
    scratch = std::max(scratch, model::backward_workspace_floats(cfg_, spec.kind, acts.B, acts.T));
  reserve(*backend_, workspace_, scratch);
  for (auto& d : dx_) reserve(*backend_, d, NC);
  const DeviceTokens tokens{acts.tokens.data(), acts.targets.data()};
  // dx_[0] and dx_[1] take turns as "d of this layer's output" and "d of its
  // input"; the stage's first layer writes into the caller's dinp instead.
  const float* d_out = dout;
  for (int l = end_ - 1; l >= first_; --l) {
    const int i = l - first_;
    float* d_in = i == 0 && dinp != nullptr ? dinp : dx_[l % 2].data();
    if (d_in != nullptr && specs_[i].kind != LayerKind::embedding) backend_->zero_floats(d_in, NC);
    const float* x = i == 0 ? inp : acts.layers[i - 1].out;
    layer_backward(*backend_, cfg_, specs_[i], layers_[i].param.data(), layers_[i].grad.data(),
                   d_in, d_out, dloss, acts.layers[i], x, tokens, workspace_.data());
    d_out = d_in;
  }
}

void Stage::zero_grads() {
  for (auto& s : layers_)
    backend_->zero_floats(s.grad.data(), static_cast<std::int64_t>(s.grad.size()));
}

double Stage::grad_sq_norm() const {
  double sum = 0.0;
  for (const auto& s : layers_)
    sum +=
        backend_->kernels().grad_sq_norm(s.grad.data(), static_cast<std::int64_t>(s.grad.size()));
  return sum;
}

void Stage::scale_grads(float factor) {
  for (auto& s : layers_)
    backend_->kernels().scale(s.grad.data(), static_cast<std::int64_t>(s.grad.size()), factor);
}

void Stage::adamw_step(const kernels::AdamW& hp) {
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    LayerState& s = layers_[i];
    ++s.step;
    for (const auto& t : specs_[i].tensors) {
      kernels::AdamW tensor_hp = hp;
      if (!t.decay) tensor_hp.weight_decay = 0.0f;
      backend_->kernels().adamw_update(s.param.data() + t.offset, s.grad.data() + t.offset,
                                       s.adam_m.data() + t.offset, s.adam_v.data() + t.offset,
                                       t.size, tensor_hp, s.step);
    }
  }
}

}  // namespace parcae::compute
