// Dispatch of a layer's forward and backward by its kind.
#include "parcae/compute/layer_ops.hpp"

namespace parcae::compute {

using model::LayerKind;

void layer_forward(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                   const float* params, model::LayerActivations& acts, const float* inp,
                   const DeviceTokens& mb) {
  switch (spec.kind) {
    case LayerKind::embedding:
      return embedding_layer_forward(be, cfg, spec, params, acts, mb);
    case LayerKind::block:
      return block_layer_forward(be, cfg, spec, params, acts, inp);
    case LayerKind::head:
      return head_layer_forward(be, cfg, spec, params, acts, inp, mb);
  }
}

void layer_backward(Backend& be, const model::GptConfig& cfg, const model::LayerSpec& spec,
                    const float* params, float* grads, float* dinp, const float* dout, float dloss,
                    const model::LayerActivations& acts, const float* inp, const DeviceTokens& mb,
                    float* workspace) {
  switch (spec.kind) {
    case LayerKind::embedding:
      return embedding_layer_backward(be, cfg, spec, grads, dout, acts, mb);
    case LayerKind::block:
      return block_layer_backward(be, cfg, spec, params, grads, dinp, dout, acts, inp, workspace);
    case LayerKind::head:
      return head_layer_backward(be, cfg, spec, params, grads, dinp, dloss, acts, inp, mb,
                                 workspace);
  }
}

}  // namespace parcae::compute
