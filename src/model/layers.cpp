// Layer tables: names, shapes and offsets of each layer's tensors.
#include <stdexcept>

#include "parcae/model/layers.hpp"

namespace parcae::model {

namespace {

class TableBuilder {
 public:
  explicit TableBuilder(LayerSpec& spec) : spec_(spec) {}
  void add(std::string name, std::vector<std::int64_t> shape, Init init) {
    std::int64_t size = 1;
    for (auto d : shape) size *= d;
    const bool decay = shape.size() >= 2;
    spec_.tensors.push_back({std::move(name), std::move(shape), spec_.size, size, init, decay});
    spec_.size += size;
  }

 private:
  LayerSpec& spec_;
};

}  // namespace

const TensorSpec& LayerSpec::at(std::string_view name) const {
  for (const auto& t : tensors)
    if (t.name == name) return t;
  throw std::out_of_range("layer " + this->name() + " has no tensor '" + std::string(name) + "'");
}

std::string LayerSpec::name() const {
  switch (kind) {
    case LayerKind::embedding: return "embedding";
    case LayerKind::block: return "block" + std::to_string(index - 1);
    case LayerKind::head: return "head";
  }
  return "?";
}

LayerSpec layer_spec(const GptConfig& cfg, int layer) {
  if (layer < 0 || layer >= cfg.num_layers())
    throw std::out_of_range("layer " + std::to_string(layer) + " of a model with " +
                            std::to_string(cfg.num_layers()) + " layers");
  const std::int64_t C = cfg.channels, Vp = cfg.padded_vocab(), T = cfg.seq_len;
  LayerSpec spec;
  spec.index = layer;
  TableBuilder table(spec);
  if (layer == 0) {
    spec.kind = LayerKind::embedding;
    table.add("wte", {Vp, C}, Init::normal);
    table.add("wpe", {T, C}, Init::normal);
  } else if (layer == cfg.num_layers() - 1) {
    spec.kind = LayerKind::head;
    table.add("lnf.weight", {C}, Init::ones);
    table.add("lnf.bias", {C}, Init::zeros);
    table.add("lm_head.weight", {Vp, C}, Init::normal);
  } else {
    spec.kind = LayerKind::block;
    table.add("ln1.weight", {C}, Init::ones);
    table.add("ln1.bias", {C}, Init::zeros);
    table.add("attn.qkv.weight", {3 * C, C}, Init::normal);
    table.add("attn.qkv.bias", {3 * C}, Init::zeros);
    table.add("attn.proj.weight", {C, C}, Init::normal_residual);
    table.add("attn.proj.bias", {C}, Init::zeros);
    table.add("ln2.weight", {C}, Init::ones);
    table.add("ln2.bias", {C}, Init::zeros);
    table.add("mlp.fc.weight", {4 * C, C}, Init::normal);
    table.add("mlp.fc.bias", {4 * C}, Init::zeros);
    table.add("mlp.proj.weight", {C, 4 * C}, Init::normal_residual);
    table.add("mlp.proj.bias", {C}, Init::zeros);
  }
  return spec;
}

std::vector<std::int64_t> layer_sizes(const GptConfig& cfg) {
  std::vector<std::int64_t> sizes;
  for (int l = 0; l < cfg.num_layers(); ++l) sizes.push_back(layer_spec(cfg, l).size);
  return sizes;
}

}  // namespace parcae::model
