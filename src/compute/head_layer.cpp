// The head: final LayerNorm, untied LM head (no bias), softmax cross-entropy.
#include "parcae/compute/layer_ops.hpp"

namespace parcae::compute {

void head_layer_forward(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                        const float* params, model::LayerActivations& a, const float* inp,
                        const DeviceTokens& mb) {
  const auto& k = be.kernels();
  const float* lnf_w = params + spec.at("lnf.weight").offset;
  const float* lnf_b = params + spec.at("lnf.bias").offset;
  const float* lm_head = params + spec.at("lm_head.weight").offset;
  const int N = a.B * a.T, C = cfg.channels, V = cfg.vocab, Vp = cfg.padded_vocab();
  k.layernorm_forward(a.lnf, a.lnf_mean, a.lnf_rstd, inp, lnf_w, lnf_b, N, C);
  k.matmul_forward(a.probs, a.lnf, lm_head, nullptr, N, C, Vp);  // logits
  k.crossentropy_softmax_forward(a.losses, a.probs, a.probs, mb.targets, N, V, Vp);
}

void head_layer_backward(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                         const float* params, float* grads, float* dinp, float dloss,
                         const model::LayerActivations& a, const float* inp, const DeviceTokens& mb,
                         float* workspace) {
  const auto& k = be.kernels();
  const float* lnf_w = params + spec.at("lnf.weight").offset;
  const float* lm_head = params + spec.at("lm_head.weight").offset;
  float* dlnf_w = grads + spec.at("lnf.weight").offset;
  float* dlnf_b = grads + spec.at("lnf.bias").offset;
  float* dlm_head = grads + spec.at("lm_head.weight").offset;
  const int N = a.B * a.T, C = cfg.channels, V = cfg.vocab, Vp = cfg.padded_vocab();
  // Gradients of the intermediate activations, zeroed: the kernels accumulate.
  be.zero_floats(workspace,
                 model::backward_workspace_floats(cfg, model::LayerKind::head, a.B, a.T));
  float* dlogits = workspace;
  float* dlnf = dlogits + std::int64_t{N} * Vp;

  // losses = crossentropy(softmax(logits), targets)
  k.crossentropy_softmax_backward(dlogits, nullptr, dloss, a.probs, mb.targets, N, V, Vp);
  // logits = lnf @ lm_head^T
  k.matmul_backward(dlnf, dlm_head, nullptr, dlogits, a.lnf, lm_head, N, C, Vp);
  // lnf = layernorm(inp)
  k.layernorm_backward(dinp, dlnf_w, dlnf_b, dlnf, inp, lnf_w, a.lnf_mean, a.lnf_rstd, N, C);
}

}  // namespace parcae::compute
