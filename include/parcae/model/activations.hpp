#pragma once
// What one layer keeps from its forward for its backward, for one micro-batch
// of B x T tokens: one flat buffer with named views (llm.c's ActivationTensors,
// per layer). Kept per layer, not per model, so a pipeline stage holds only its
// own layers' activations, one set per micro-batch in flight.
#include <cstdint>
#include <vector>

#include "parcae/model/config.hpp"
#include "parcae/model/layers.hpp"

namespace parcae::model {

class LayerActivations {
 public:
  LayerActivations(const GptConfig& cfg, LayerKind kind, int B, int T);
  // The views point into the buffer: copying would alias another object's
  // memory, so only moves (which keep the buffer) are allowed.
  LayerActivations(const LayerActivations&) = delete;
  LayerActivations& operator=(const LayerActivations&) = delete;
  LayerActivations(LayerActivations&&) = default;
  LayerActivations& operator=(LayerActivations&&) = default;

  int B = 0, T = 0;
  LayerKind kind = LayerKind::embedding;

  // embedding and block: the layer's output [B,T,C], the next layer's input.
  float* out = nullptr;
  // block (N = B*T rows); null elsewhere
  float* ln1 = nullptr;       // [N,C]
  float* ln1_mean = nullptr;  // [N]
  float* ln1_rstd = nullptr;  // [N]
  float* qkv = nullptr;       // [N,3C]
  float* att = nullptr;       // [B,H,T,T] softmax probabilities
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

  std::int64_t floats() const { return static_cast<std::int64_t>(buffer_.size()); }

 private:
  std::vector<float> buffer_;
};

// Scratch for the gradients of a layer's intermediate activations during its
// backward; one per stage, reused by every layer (backwards run one at a time).
class BackwardWorkspace {
 public:
  // At least `floats` floats, zeroed (backwards accumulate into them).
  float* zeroed(std::int64_t floats);
  // Floats a layer of `kind` needs for micro-batches of B x T.
  static std::int64_t floats_for(const GptConfig& cfg, LayerKind kind, int B, int T);

 private:
  std::vector<float> buffer_;
};

}  // namespace parcae::model
