#pragma once
// Forward and backward of one layer on one micro-batch: the steps a pipeline
// stage strings together. Each is a flat list of kernel calls (kernels/cpu.hpp);
// each backward is its forward's list reversed.
#include "parcae/model/activations.hpp"
#include "parcae/model/config.hpp"
#include "parcae/model/layers.hpp"

namespace parcae::model {

// One micro-batch: B rows of T tokens (T <= cfg.seq_len) and their targets
// (the next tokens). The embedding reads tokens, the head reads targets.
struct MicroBatch {
  const int* tokens = nullptr;   // [B,T]
  const int* targets = nullptr;  // [B,T]
  int B = 0;
  int T = 0;
};

// Throws InputError when a token or target is outside [0, V) or B x T does not
// fit the model (T > seq_len); checked once per micro-batch, not in the kernels.
void check_micro_batch(const GptConfig& cfg, const MicroBatch& mb);

// Forward of `spec`'s layer with parameters `params`: reads `inp` [B,T,C] (the
// previous layer's output; unused by the embedding) and fills `acts` (sized
// for mb.B x mb.T). The head leaves per-position losses in acts.losses.
void layer_forward(const GptConfig& cfg, const LayerSpec& spec, const float* params,
                   LayerActivations& acts, const float* inp, const MicroBatch& mb);

// Backward of the same layer: grads += d loss / d params, dinp += d loss / d inp
// (dinp unused by the embedding). dout [B,T,C] is d loss / d acts.out; the head
// has no dout and weighs each position's loss by `dloss` instead (1 / (B T) for
// the micro-batch's mean loss; divide again by the micro-batches accumulated).
void layer_backward(const GptConfig& cfg, const LayerSpec& spec, const float* params,
                    float* grads, float* dinp, const float* dout, float dloss,
                    const LayerActivations& acts, const float* inp, const MicroBatch& mb,
                    BackwardWorkspace& ws);

// The three kinds, which layer_forward / layer_backward dispatch to.
void embedding_layer_forward(const GptConfig& cfg, const LayerSpec& spec, const float* params,
                             LayerActivations& acts, const MicroBatch& mb);
void embedding_layer_backward(const GptConfig& cfg, const LayerSpec& spec, float* grads,
                              const float* dout, const MicroBatch& mb);
void block_layer_forward(const GptConfig& cfg, const LayerSpec& spec, const float* params,
                         LayerActivations& acts, const float* inp);
void block_layer_backward(const GptConfig& cfg, const LayerSpec& spec, const float* params,
                          float* grads, float* dinp, const float* dout,
                          const LayerActivations& acts, const float* inp, BackwardWorkspace& ws);
void head_layer_forward(const GptConfig& cfg, const LayerSpec& spec, const float* params,
                        LayerActivations& acts, const float* inp, const MicroBatch& mb);
void head_layer_backward(const GptConfig& cfg, const LayerSpec& spec, const float* params,
                         float* grads, float* dinp, float dloss, const LayerActivations& acts,
                         const float* inp, const MicroBatch& mb, BackwardWorkspace& ws);

}  // namespace parcae::model
