#pragma once
// Forward and backward of one layer on one micro-batch: the steps a pipeline
// stage strings together. Each is a flat list of calls on a backend's kernels
// (the CPU's or a GPU's: the code is the same, see compute/backend.hpp); each
// backward is its forward's list reversed. Every pointer here is in the
// backend's memory.
#include "parcae/compute/backend.hpp"
#include "parcae/model/activations.hpp"
#include "parcae/model/config.hpp"
#include "parcae/model/layers.hpp"

namespace parcae::compute {

// A micro-batch's token ids and targets [B,T] in the backend's memory, already
// checked (model::check_micro_batch); B and T are the activations'. The
// embedding reads tokens, the head reads targets.
struct DeviceTokens {
  const int* tokens = nullptr;
  const int* targets = nullptr;
};

// Forward of `spec`'s layer with parameters `params`: reads `inp` [B,T,C] (the
// previous layer's output; unused by the embedding) and fills `acts`. The head
// leaves per-position losses in acts.losses.
void layer_forward(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                   const float* params, model::LayerActivations& acts, const float* inp,
                   const DeviceTokens& mb);

// Backward of the same layer: grads += d loss / d params, dinp += d loss / d inp
// (dinp unused by the embedding). dout [B,T,C] is d loss / d acts.out; the head
// has no dout and weighs each position's loss by `dloss` instead (1 / (B T) for
// the micro-batch's mean loss; divide again by the micro-batches accumulated).
// `workspace` holds model::backward_workspace_floats() floats of scratch.
void layer_backward(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                    const float* params, float* grads, float* dinp, const float* dout, float dloss,
                    const model::LayerActivations& acts, const float* inp, const DeviceTokens& mb,
                    float* workspace);

// The three kinds, which layer_forward / layer_backward dispatch to.
void embedding_layer_forward(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                             const float* params, model::LayerActivations& acts,
                             const DeviceTokens& mb);
void embedding_layer_backward(Backend& be, const model::GptConfig& cfg,
                              const model::LayerSpec& spec, float* grads, const float* dout,
                              const model::LayerActivations& acts, const DeviceTokens& mb);
void block_layer_forward(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                         const float* params, model::LayerActivations& acts, const float* inp);
void block_layer_backward(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                          const float* params, float* grads, float* dinp, const float* dout,
                          const model::LayerActivations& acts, const float* inp, float* workspace);
void head_layer_forward(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                        const float* params, model::LayerActivations& acts, const float* inp,
                        const DeviceTokens& mb);
void head_layer_backward(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                         const float* params, float* grads, float* dinp, float dloss,
                         const model::LayerActivations& acts, const float* inp,
                         const DeviceTokens& mb, float* workspace);

}  // namespace parcae::compute
