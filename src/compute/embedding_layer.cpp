// The embedding layer: token + position embedding.
#include "parcae/compute/layer_ops.hpp"

namespace parcae::compute {

void embedding_layer_forward(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                             const float* params, model::LayerActivations& acts,
                             const DeviceTokens& mb) {
  const auto& k = be.kernels();
  const float* wte = params + spec.at("wte").offset;
  const float* wpe = params + spec.at("wpe").offset;
  k.embedding_forward(acts.out, mb.tokens, wte, wpe, acts.B, acts.T, cfg.channels);
}

void embedding_layer_backward(Backend& be, const model::GptConfig& cfg,
                              const model::LayerSpec& spec, float* grads, const float* dout,
                              const model::LayerActivations& acts, const DeviceTokens& mb) {
  const auto& k = be.kernels();
  float* dwte = grads + spec.at("wte").offset;
  float* dwpe = grads + spec.at("wpe").offset;
  // out = wte[tokens] + wpe
  k.embedding_backward(dwte, dwpe, dout, mb.tokens, acts.B, acts.T, cfg.channels);
}

}  // namespace parcae::compute
