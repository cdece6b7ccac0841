#pragma once
// A stage: a contiguous range of the model's layers [first, end) with their
// shards and gradients. A pipeline stage owns one; the whole model on one
// worker is the stage [0, L + 2). Forward is the layers' forwards in order,
// backward the same list reversed.
#include <cstdint>
#include <vector>

#include "parcae/kernels/cpu.hpp"
#include "parcae/model/activations.hpp"
#include "parcae/model/config.hpp"
#include "parcae/model/layer_ops.hpp"
#include "parcae/model/layers.hpp"
#include "parcae/model/shard.hpp"

namespace parcae::model {

// One micro-batch's activations on a stage: one entry per owned layer. A
// 1F1B stage keeps one of these per micro-batch in flight.
using StageActivations = std::vector<LayerActivations>;

class Stage {
 public:
  // Fresh shards for layers [first, end), initialised from `seed`.
  Stage(const GptConfig& cfg, int first_layer, int end_layer, std::uint64_t seed);
  // Existing shards (migrated or loaded) of consecutive layers.
  Stage(const GptConfig& cfg, std::vector<Shard> shards);

  const GptConfig& config() const { return cfg_; }
  int first_layer() const { return first_; }
  int end_layer() const { return end_; }
  bool has_embedding() const { return first_ == 0; }
  bool has_head() const { return end_ == cfg_.num_layers(); }

  const LayerSpec& spec(int layer) const { return specs_.at(layer - first_); }
  Shard& shard(int layer) { return shards_.at(layer - first_); }
  const Shard& shard(int layer) const { return shards_.at(layer - first_); }
  std::vector<Shard>& shards() { return shards_; }
  std::vector<float>& grad(int layer) { return grads_.at(layer - first_); }
  const std::vector<float>& grad(int layer) const { return grads_.at(layer - first_); }

  StageActivations make_activations(int B, int T) const;

  // Forward of one micro-batch through the stage's layers. `inp` [B,T,C] is the
  // previous stage's output (unused on the first stage). Returns the mean loss
  // over the micro-batch's B x T positions on the last stage, 0 elsewhere.
  double forward(StageActivations& acts, const MicroBatch& mb, const float* inp);
  // The stage's output [B,T,C] (its last layer's), for the next stage.
  const float* output(const StageActivations& acts) const { return acts.back().out; }

  // Backward of the micro-batch whose forward filled `acts`. `dout` [B,T,C] is
  // d loss / d output from the next stage (unused on the last stage, where each
  // position's loss weighs `dloss`). Gradients accumulate into grad(); `dinp`
  // [B,T,C] (unused on the first stage) is overwritten with d loss / d inp.
  void backward(const StageActivations& acts, const MicroBatch& mb, const float* inp,
                const float* dout, float dloss, float* dinp);

  void zero_grads();
  // Sum of squares of all the stage's gradients (add across stages and take
  // the root for the global norm), and the clipping scale.
  double grad_sq_norm() const;
  void scale_grads(float factor);
  // One AdamW step on every shard.
  void adamw_step(const kernels::cpu::AdamW& hp);

 private:
  GptConfig cfg_;
  int first_ = 0, end_ = 0;
  std::vector<Shard> shards_;
  std::vector<LayerSpec> specs_;
  std::vector<std::vector<float>> grads_;
  BackwardWorkspace workspace_;
  std::vector<float> dx_[2];  // gradients flowing between the stage's layers
};

}  // namespace parcae::model
