#pragma once
// AdamW's hyperparameters (Loshchilov & Hutter, decoupled weight decay). Plain
// numbers with no device in them: the CPU and CUDA kernels, the stage and the
// training configuration all read this one struct.
namespace parcae::kernels {

struct AdamW {
  float lr = 3e-4f;
  float beta1 = 0.9f;
  float beta2 = 0.95f;
  float eps = 1e-8f;
  float weight_decay = 0.0f;
};

}  // namespace parcae::kernels
