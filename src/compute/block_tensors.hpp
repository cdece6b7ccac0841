#pragma once
// Named views of a block's tensors inside a flat buffer (parameters or their
// gradients: the layout is the same), shared by the block's training forward
// and backward (block_layer.cpp) and its one-position decode (layer_decode.cpp).
#include "parcae/model/layers.hpp"

namespace parcae::compute {

template <class F>
struct BlockTensors {
  F *ln1_w, *ln1_b, *qkv_w, *qkv_b, *proj_w, *proj_b, *ln2_w, *ln2_b, *fc_w, *fc_b, *fcproj_w,
      *fcproj_b;
  BlockTensors(const model::LayerSpec& s, F* base)
      : ln1_w(base + s.at("ln1.weight").offset),
        ln1_b(base + s.at("ln1.bias").offset),
        qkv_w(base + s.at("attn.qkv.weight").offset),
        qkv_b(base + s.at("attn.qkv.bias").offset),
        proj_w(base + s.at("attn.proj.weight").offset),
        proj_b(base + s.at("attn.proj.bias").offset),
        ln2_w(base + s.at("ln2.weight").offset),
        ln2_b(base + s.at("ln2.bias").offset),
        fc_w(base + s.at("mlp.fc.weight").offset),
        fc_b(base + s.at("mlp.fc.bias").offset),
        fcproj_w(base + s.at("mlp.proj.weight").offset),
        fcproj_b(base + s.at("mlp.proj.bias").offset) {}
};

}  // namespace parcae::compute
