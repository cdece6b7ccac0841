// A transformer block (GPT-2, pre-LayerNorm):
//   x + attn(ln1(x)) -> res2;  res2 + mlp(ln2(res2)) -> out
#include "block_tensors.hpp"
#include "parcae/compute/layer_ops.hpp"

namespace parcae::compute {

using model::LayerSpec;

void block_layer_forward(Backend& be, const model::GptConfig& cfg, const LayerSpec& spec,
                         const float* params, model::LayerActivations& a, const float* inp) {
  const auto& k = be.kernels();
  const BlockTensors<const float> p(spec, params);
  const int B = a.B, T = a.T, C = cfg.channels, N = B * T;
  const std::int64_t NC = std::int64_t{N} * C;
  k.layernorm_forward(a.ln1, a.ln1_mean, a.ln1_rstd, inp, p.ln1_w, p.ln1_b, N, C);
  k.matmul_forward(a.qkv, a.ln1, p.qkv_w, p.qkv_b, N, C, 3 * C);
  k.attention_forward(a.atty, a.att, a.qkv, B, T, C, cfg.heads);
  // The projections write straight into the residual buffers and the residual
  // add then runs in place: the backward never needs the projection alone.
  k.matmul_forward(a.res2, a.atty, p.proj_w, p.proj_b, N, C, C);
  k.residual_forward(a.res2, inp, a.res2, NC);
  k.layernorm_forward(a.ln2, a.ln2_mean, a.ln2_rstd, a.res2, p.ln2_w, p.ln2_b, N, C);
  k.matmul_forward(a.fch, a.ln2, p.fc_w, p.fc_b, N, C, 4 * C);
  k.gelu_forward(a.fch_gelu, a.fch, 4 * NC);
  k.matmul_forward(a.out, a.fch_gelu, p.fcproj_w, p.fcproj_b, N, 4 * C, C);
  k.residual_forward(a.out, a.res2, a.out, NC);
}

void block_layer_backward(Backend& be, const model::GptConfig& cfg, const LayerSpec& spec,
                          const float* params, float* grads, float* dinp, const float* dout,
                          const model::LayerActivations& a, const float* inp, float* workspace) {
  const auto& k = be.kernels();
  const BlockTensors<const float> p(spec, params);
  const BlockTensors<float> g(spec, grads);
  const int B = a.B, T = a.T, C = cfg.channels, N = B * T;
  const std::int64_t NC = std::int64_t{N} * C;
  // Gradients of the intermediate activations, zeroed: the kernels accumulate.
  be.zero_floats(workspace, model::backward_workspace_floats(cfg, model::LayerKind::block, B, T));
  float* dres2 = workspace;
  float* dproj = dres2 + NC;  // d of a projection's output, one at a time
  float* dln2 = dproj + NC;
  float* datty = dln2 + NC;
  float* dln1 = datty + NC;
  float* dqkv = dln1 + NC;      // [N,3C]
  float* dfch = dqkv + 3 * NC;  // [N,4C]
  float* dfch_gelu = dfch + 4 * NC;

  // The forward list, reversed; each line names the forward line it differentiates.
  // out = res2 + fcproj
  k.residual_backward(dres2, dproj, dout, NC);
  // fcproj = fch_gelu @ fcproj_w^T + fcproj_b
  k.matmul_backward(dfch_gelu, g.fcproj_w, g.fcproj_b, dproj, a.fch_gelu, p.fcproj_w, N, 4 * C, C);
  // fch_gelu = gelu(fch)
  k.gelu_backward(dfch, dfch_gelu, a.fch, 4 * NC);
  // fch = ln2 @ fc_w^T + fc_b
  k.matmul_backward(dln2, g.fc_w, g.fc_b, dfch, a.ln2, p.fc_w, N, C, 4 * C);
  // ln2 = layernorm(res2)
  k.layernorm_backward(dres2, g.ln2_w, g.ln2_b, dln2, a.res2, p.ln2_w, a.ln2_mean, a.ln2_rstd, N,
                       C);
  // res2 = inp + proj
  be.zero_floats(dproj, NC);  // reused for the attention projection
  k.residual_backward(dinp, dproj, dres2, NC);
  // proj = atty @ proj_w^T + proj_b
  k.matmul_backward(datty, g.proj_w, g.proj_b, dproj, a.atty, p.proj_w, N, C, C);
  // atty = attention(qkv)
  k.attention_backward(dqkv, datty, a.qkv, a.atty, a.att, B, T, C, cfg.heads);
  // qkv = ln1 @ qkv_w^T + qkv_b
  k.matmul_backward(dln1, g.qkv_w, g.qkv_b, dqkv, a.ln1, p.qkv_w, N, C, 3 * C);
  // ln1 = layernorm(inp)
  k.layernorm_backward(dinp, g.ln1_w, g.ln1_b, dln1, inp, p.ln1_w, a.ln1_mean, a.ln1_rstd, N, C);
}

}  // namespace parcae::compute
