// The head: final LayerNorm, untied LM head (no bias), softmax cross-entropy.
#include "parcae/kernels/cpu.hpp"
#include "parcae/model/layer_ops.hpp"

namespace parcae::model {

namespace k = kernels::cpu;

void head_layer_forward(const GptConfig& cfg, const LayerSpec& spec, const float* params,
                        LayerActivations& a, const float* inp, const MicroBatch& mb) {
  const float* lnf_w = params + spec.at("lnf.weight").offset;
  const float* lnf_b = params + spec.at("lnf.bias").offset;
  const float* lm_head = params + spec.at("lm_head.weight").offset;
  const int N = a.B * a.T, C = cfg.channels, V = cfg.vocab, Vp = cfg.padded_vocab();
  k::layernorm_forward(a.lnf, a.lnf_mean, a.lnf_rstd, inp, lnf_w, lnf_b, N, C);
  k::matmul_forward(a.probs, a.lnf, lm_head, nullptr, N, C, Vp);  // logits
  k::crossentropy_softmax_forward(a.losses, a.probs, a.probs, mb.targets, N, V, Vp);
}

void head_layer_backward(const GptConfig& cfg, const LayerSpec& spec, const float* params,
                         float* grads, float* dinp, float dloss, const LayerActivations& a,
                         const float* inp, const MicroBatch& mb, BackwardWorkspace& ws) {
  const float* lnf_w = params + spec.at("lnf.weight").offset;
  const float* lm_head = params + spec.at("lm_head.weight").offset;
  float* dlnf_w = grads + spec.at("lnf.weight").offset;
  float* dlnf_b = grads + spec.at("lnf.bias").offset;
  float* dlm_head = grads + spec.at("lm_head.weight").offset;
  const int N = a.B * a.T, C = cfg.channels, V = cfg.vocab, Vp = cfg.padded_vocab();
  float* dlogits = ws.zeroed(BackwardWorkspace::floats_for(cfg, LayerKind::head, a.B, a.T));
  float* dlnf = dlogits + std::int64_t{N} * Vp;

  // losses = crossentropy(softmax(logits), targets)
  k::crossentropy_softmax_backward(dlogits, nullptr, dloss, a.probs, mb.targets, N, V, Vp);
  // logits = lnf @ lm_head^T
  k::matmul_backward(dlnf, dlm_head, nullptr, dlogits, a.lnf, lm_head, N, C, Vp);
  // lnf = layernorm(inp)
  k::layernorm_backward(dinp, dlnf_w, dlnf_b, dlnf, inp, lnf_w, a.lnf_mean, a.lnf_rstd, N, C);
}

}  // namespace parcae::model
