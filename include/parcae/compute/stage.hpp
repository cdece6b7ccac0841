#pragma once
// A stage: a contiguous range of the model's layers [first, end) with their
// training state (parameters, AdamW moments, step counts) and gradients, all
// in one backend's memory. A pipeline stage owns one; the whole model on one
// worker is the stage [0, L + 2). Forward is the layers' forwards in order,
// backward the same list reversed. State crosses to the host only as shards
// (copy_shard, and the constructor from shards): to checkpoint or migrate.
#include <cstdint>
#include <span>
#include <vector>

#include "parcae/compute/backend.hpp"
#include "parcae/kernels/adamw.hpp"
#include "parcae/model/activations.hpp"
#include "parcae/model/config.hpp"
#include "parcae/model/layers.hpp"
#include "parcae/model/micro_batch.hpp"
#include "parcae/model/shard.hpp"

namespace parcae::compute {

// One micro-batch's activations on a stage, in the backend's memory: the
// tokens and targets it ran on and one set of named views per owned layer,
// all in one buffer. A 1F1B stage keeps one of these per micro-batch in flight.
struct StageActivations {
  int B = 0, T = 0;
  DeviceArray<int> tokens, targets;  // [B*T]
  std::vector<model::LayerActivations> layers;
  DeviceArray<float> buffer;  // what the views of `layers` point into
};

class Stage {
 public:
  // Fresh shards for layers [first, end), initialised from `seed`.
  Stage(const model::GptConfig& cfg, int first_layer, int end_layer, std::uint64_t seed,
        Backend& backend = cpu_backend());
  // Existing shards (migrated or loaded) of consecutive layers.
  Stage(const model::GptConfig& cfg, std::vector<model::Shard> shards,
        Backend& backend = cpu_backend());
  Stage(const Stage&) = delete;
  Stage& operator=(const Stage&) = delete;

  const model::GptConfig& config() const { return cfg_; }
  Backend& backend() const { return *backend_; }
  int first_layer() const { return first_; }
  int end_layer() const { return end_; }
  bool has_embedding() const { return first_ == 0; }
  bool has_head() const { return end_ == cfg_.num_layers(); }
  const model::LayerSpec& spec(int layer) const { return specs_.at(layer - first_); }
  std::int64_t parameters() const;  // floats of all the stage's layers

  // A host copy of layer `layer`'s state: parameters, moments and step.
  model::Shard copy_shard(int layer) const;
  // The same into `into`, whose buffers are reused when they have the size
  // already (a checkpoint's copies, step after step: no allocation, no page
  // faults, one pass over the state).
  void copy_shard(int layer, model::Shard& into) const;
  // Layer `layer`'s state in the backend's memory, read-only: host memory on
  // the CPU backend, where a checkpoint's copy reads it from another thread
  // while the next step runs (runtime/checkpoint_writing.hpp).
  struct StateView {
    const float* param;
    const float* adam_m;
    const float* adam_v;
    std::size_t floats;  // of each
    std::int64_t step;
  };
  StateView state_view(int layer) const {
    const LayerState& s = state(layer);
    return {s.param.data(), s.adam_m.data(), s.adam_v.data(), s.param.size(), s.step};
  }
  // Layer `layer`'s parameters in the backend's memory, read-only (for decoding,
  // compute/decoder.hpp, which runs the layers one position at a time).
  const float* param(int layer) const { return state(layer).param.data(); }
  // Layer `layer`'s gradient in the backend's memory (for the allreduce), and a host copy.
  std::span<float> grad(int layer) { return state(layer).grad.span(); }
  std::vector<float> copy_grad(int layer) const { return state(layer).grad.download(); }

  StageActivations make_activations(int B, int T) const;

  // Forward of one micro-batch (host tokens, checked here) through the stage's
  // layers. `inp` [B,T,C] is the previous stage's output in the backend's
  // memory (unused on the first stage). Returns the mean loss over the
  // micro-batch's B x T positions on the last stage, 0 elsewhere.
  double forward(StageActivations& acts, const model::MicroBatch& mb, const float* inp);
  // The stage's output [B,T,C] (its last layer's), for the next stage.
  const float* output(const StageActivations& acts) const { return acts.layers.back().out; }

  // Backward of the micro-batch whose forward filled `acts`. `dout` [B,T,C] is
  // d loss / d output from the next stage (unused on the last stage, where each
  // position's loss weighs `dloss`). Gradients accumulate into grad(); `dinp`
  // [B,T,C] (unused on the first stage) is overwritten with d loss / d inp.
  void backward(const StageActivations& acts, const float* inp, const float* dout, float dloss,
                float* dinp);

  void zero_grads();
  // Sum of squares of all the stage's gradients (add across stages and take
  // the root for the global norm), and the clipping scale.
  double grad_sq_norm() const;
  void scale_grads(float factor);
  // One AdamW step on every layer; weight decay only on the tensors marked
  // `decay` (matrices and embeddings, as in GPT-2/nanoGPT).
  void adamw_step(const kernels::AdamW& hp);

 private:
  struct LayerState {
    DeviceArray<float> param, adam_m, adam_v, grad;
    std::int64_t step = 0;
  };
  LayerState& state(int layer) { return layers_.at(layer - first_); }
  const LayerState& state(int layer) const { return layers_.at(layer - first_); }

  Backend* backend_;
  model::GptConfig cfg_;
  int first_ = 0, end_ = 0;
  std::vector<model::LayerSpec> specs_;
  std::vector<LayerState> layers_;
  DeviceArray<float> workspace_;  // backward scratch, grown on demand
  DeviceArray<float> dx_[2];      // gradients flowing between the stage's layers
  std::vector<float> losses_;     // the head's per-position losses, on the host
};

}  // namespace parcae::compute
