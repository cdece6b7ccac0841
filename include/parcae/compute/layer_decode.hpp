#pragma once
// One position of each layer kind, for generation with a KV cache (see
// compute/decoder.hpp): the same flat list of calls as the layer's training
// forward (compute/layer_ops.hpp) on a single row, and for a block the
// attention over cached keys and values instead of the whole sequence.
// Forward only. Every pointer is in the backend's memory.
#include <cstdint>

#include "parcae/compute/backend.hpp"
#include "parcae/model/config.hpp"
#include "parcae/model/layers.hpp"

namespace parcae::compute {

// One position's values, views into one buffer of floats(cfg) floats. `x` is
// the residual stream: the embedding writes it, each block updates it in place,
// the head reads it.
struct DecodeActivations {
  float *x, *ln, *mean, *rstd, *qkv, *atty, *res2, *fch, *fch_gelu, *mlp, *logits;

  static std::int64_t floats(const model::GptConfig& cfg);
  static DecodeActivations carve(const model::GptConfig& cfg, float* base);
};

// x = wte[token] + wpe[position]; `token` points at one id in [0, V).
void embedding_layer_decode(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                            const float* params, DecodeActivations& a, const int* token,
                            int position);

// x = block(x) at `position`, after writing this position's key and value into
// row `position` of k_cache[T,C] and v_cache[T,C], whose rows 0..position-1
// hold the earlier positions'.
void block_layer_decode(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                        const float* params, DecodeActivations& a, float* k_cache, float* v_cache,
                        int position);

// logits[Vp] = lm_head(layernorm(x)) (the padded columns are zero weights' zeros).
void head_layer_decode(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                       const float* params, DecodeActivations& a);

}  // namespace parcae::compute
