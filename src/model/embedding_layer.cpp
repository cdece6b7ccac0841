// The embedding layer: token + position embedding.
#include "parcae/kernels/cpu.hpp"
#include "parcae/model/layer_ops.hpp"

namespace parcae::model {

namespace k = kernels::cpu;

void embedding_layer_forward(const GptConfig& cfg, const LayerSpec& spec, const float* params,
                             LayerActivations& acts, const MicroBatch& mb) {
  const float* wte = params + spec.at("wte").offset;
  const float* wpe = params + spec.at("wpe").offset;
  k::embedding_forward(acts.out, mb.tokens, wte, wpe, mb.B, mb.T, cfg.channels);
}

void embedding_layer_backward(const GptConfig& cfg, const LayerSpec& spec, float* grads,
                              const float* dout, const MicroBatch& mb) {
  float* dwte = grads + spec.at("wte").offset;
  float* dwpe = grads + spec.at("wpe").offset;
  k::embedding_backward(dwte, dwpe, dout, mb.tokens, mb.B, mb.T, cfg.channels);
}

}  // namespace parcae::model
