#pragma once
// The model's layers and the table of named tensors inside each layer's one
// flat parameter buffer (llm.c's "flat memory, named views", one level down:
// a layer, not the whole model, is the unit a pipeline stage owns and a shard
// moves). Gradients and AdamW moments use the same layout.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parcae/model/config.hpp"

namespace parcae::model {

enum class LayerKind { embedding, block, head };

// How a tensor starts (GPT-2's initialisation, Radford et al. 2019 §2.3).
enum class Init {
  normal,           // N(0, 0.02^2)
  normal_residual,  // N(0, (0.02 / sqrt(2L))^2): projections into the residual stream
  ones,             // LayerNorm gains
  zeros,            // biases
};

struct TensorSpec {
  std::string name;                 // "attn.qkv.weight"
  std::vector<std::int64_t> shape;  // row-major
  std::int64_t offset = 0;          // in floats, inside the layer's buffer
  std::int64_t size = 0;            // product of shape
  Init init = Init::zeros;
  bool decay = false;               // weight decay applies (matrices and embeddings, not gains or biases)
};

struct LayerSpec {
  int index = 0;  // 0 embedding, 1..L blocks, L + 1 head
  LayerKind kind = LayerKind::embedding;
  std::vector<TensorSpec> tensors;
  std::int64_t size = 0;  // floats in the layer's buffer

  // The tensor called `name`; throws std::out_of_range naming it otherwise.
  const TensorSpec& at(std::string_view name) const;
  std::string name() const;  // "embedding", "block3", "head"
};

// The table of layer `layer` (0 <= layer < cfg.num_layers()).
//   embedding: wte [Vp,C], wpe [T,C]
//   block:     ln1.weight [C], ln1.bias [C], attn.qkv.weight [3C,C], attn.qkv.bias [3C],
//              attn.proj.weight [C,C], attn.proj.bias [C], ln2.weight [C], ln2.bias [C],
//              mlp.fc.weight [4C,C], mlp.fc.bias [4C], mlp.proj.weight [C,4C], mlp.proj.bias [C]
//   head:      lnf.weight [C], lnf.bias [C], lm_head.weight [Vp,C] (untied, no bias)
LayerSpec layer_spec(const GptConfig& cfg, int layer);

// Parameters of every layer, in order: what the cost model and partitioner weigh.
std::vector<std::int64_t> layer_sizes(const GptConfig& cfg);

}  // namespace parcae::model
