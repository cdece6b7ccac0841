// One position through each layer kind (see compute/layer_decode.hpp). Each
// list is its training forward's (embedding_layer.cpp, block_layer.cpp,
// head_layer.cpp) with N = 1, so decoding and training share every kernel but
// the attention.
#include "parcae/compute/layer_decode.hpp"

#include <utility>

#include "block_tensors.hpp"

namespace parcae::compute {

std::int64_t DecodeActivations::floats(const model::GptConfig& cfg) {
  const std::int64_t C = cfg.channels;
  // x, ln, mean, rstd, qkv, atty, res2, fch, fch_gelu, mlp, logits
  return C + C + 1 + 1 + 3 * C + C + C + 4 * C + 4 * C + C + cfg.padded_vocab();
}

DecodeActivations DecodeActivations::carve(const model::GptConfig& cfg, float* base) {
  const std::int64_t C = cfg.channels;
  DecodeActivations a{};
  float* next = base;
  auto take = [&next](std::int64_t n) { return std::exchange(next, next + n); };
  a.x = take(C);
  a.ln = take(C);
  a.mean = take(1);
  a.rstd = take(1);
  a.qkv = take(3 * C);
  a.atty = take(C);
  a.res2 = take(C);
  a.fch = take(4 * C);
  a.fch_gelu = take(4 * C);
  a.mlp = take(C);
  a.logits = take(cfg.padded_vocab());
  return a;
}

void embedding_layer_decode(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                            const float* params, DecodeActivations& a, const int* token,
                            int position) {
  const int C = cfg.channels;
  const float* wte = params + spec.at("wte").offset;
  const float* wpe_row = params + spec.at("wpe").offset + std::int64_t{position} * C;
  // x = wte[token] + wpe[position]: one row of the training embedding, its wpe
  // table starting at this position's row.
  be.kernels().embedding_forward(a.x, token, wte, wpe_row, 1, 1, C);
}

void block_layer_decode(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                        const float* params, DecodeActivations& a, float* k_cache, float* v_cache,
                        int position) {
  const auto& k = be.kernels();
  const BlockTensors<const float> p(spec, params);
  const int C = cfg.channels;
  const std::size_t row_bytes = sizeof(float) * C;
  k.layernorm_forward(a.ln, a.mean, a.rstd, a.x, p.ln1_w, p.ln1_b, 1, C);
  k.matmul_forward(a.qkv, a.ln, p.qkv_w, p.qkv_b, 1, C, 3 * C);
  // This position's key and value join the cache; its query attends to all of it.
  be.copy(k_cache + std::int64_t{position} * C, a.qkv + C, row_bytes);
  be.copy(v_cache + std::int64_t{position} * C, a.qkv + 2 * C, row_bytes);
  k.attention_decode_forward(a.atty, a.qkv, k_cache, v_cache, position + 1, C, cfg.heads);
  k.matmul_forward(a.res2, a.atty, p.proj_w, p.proj_b, 1, C, C);
  k.residual_forward(a.res2, a.x, a.res2, C);
  k.layernorm_forward(a.ln, a.mean, a.rstd, a.res2, p.ln2_w, p.ln2_b, 1, C);
  k.matmul_forward(a.fch, a.ln, p.fc_w, p.fc_b, 1, C, 4 * C);
  k.gelu_forward(a.fch_gelu, a.fch, 4 * C);
  k.matmul_forward(a.mlp, a.fch_gelu, p.fcproj_w, p.fcproj_b, 1, 4 * C, C);
  k.residual_forward(a.x, a.res2, a.mlp, C);
}

void head_layer_decode(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                       const float* params, DecodeActivations& a) {
  const auto& k = be.kernels();
  const float* lnf_w = params + spec.at("lnf.weight").offset;
  const float* lnf_b = params + spec.at("lnf.bias").offset;
  const float* lm_head = params + spec.at("lm_head.weight").offset;
  const int C = cfg.channels;
  k.layernorm_forward(a.ln, a.mean, a.rstd, a.x, lnf_w, lnf_b, 1, C);
  k.matmul_forward(a.logits, a.ln, lm_head, nullptr, 1, C, cfg.padded_vocab());
}

}  // namespace parcae::compute
