#pragma once
// What one layer keeps from its forward for its backward, for one micro-batch
// of B x T tokens: named views into one flat buffer (llm.c's
// ActivationTensors, per layer). Kept per layer, not per model, so a pipeline
// stage holds only its own layers' activations, one set per micro-batch in
// flight. This is the layout only: the memory belongs to whoever computes
// (host or device memory, see compute/stage.hpp), and so does the size of
// what attention keeps, which differs between its CPU and CUDA kernels.
#include <cstdint>

#include "parcae/model/config.hpp"
#include "parcae/model/layers.hpp"

namespace parcae::model {

struct LayerActivations {
  int B = 0, T = 0;
  LayerKind kind = LayerKind::embedding;

  // embedding and block: the layer's output [B,T,C], the next layer's input.
  float* out = nullptr;
  // block (N = B*T rows); null elsewhere
  float* ln1 = nullptr;       // [N,C]
  float* ln1_mean = nullptr;  // [N]
  float* ln1_rstd = nullptr;  // [N]
  float* qkv = nullptr;       // [N,3C]
  float* att = nullptr;       // what attention keeps for its backward (`attention_floats`)
  float* atty = nullptr;      // [N,C] attention output, before the projection
  float* res2 = nullptr;      // [N,C] residual stream after attention
  float* ln2 = nullptr;       // [N,C]
  float* ln2_mean = nullptr;  // [N]
  float* ln2_rstd = nullptr;  // [N]
  float* fch = nullptr;       // [N,4C] MLP hidden, before GELU
  float* fch_gelu = nullptr;  // [N,4C]
  // head; null elsewhere
  float* lnf = nullptr;       // [N,C]
  float* lnf_mean = nullptr;  // [N]
  float* lnf_rstd = nullptr;  // [N]
  float* probs = nullptr;     // [N,Vp] logits, turned into probabilities in place
  float* losses = nullptr;    // [N] per-position cross-entropy

  // Floats of a layer of `kind` for micro-batches of B x T, when attention
  // keeps `attention_floats` floats per block.
  static std::int64_t floats(const GptConfig& cfg, LayerKind kind, int B, int T,
                             std::int64_t attention_floats);
  // The views of such a layer laid out from `base` (floats(...) floats).
  static LayerActivations carve(const GptConfig& cfg, LayerKind kind, int B, int T,
                                std::int64_t attention_floats, float* base);
};

// Floats of scratch a layer of `kind` needs for the gradients of its
// intermediate activations during its backward (micro-batches of B x T).
std::int64_t backward_workspace_floats(const GptConfig& cfg, LayerKind kind, int B, int T);

}  // namespace parcae::model
