#pragma once
// One micro-batch as the data part hands it over: B rows of T tokens
// (T <= cfg.seq_len) and their targets (the next tokens), in host memory.
#include "parcae/model/config.hpp"

namespace parcae::model {

struct MicroBatch {
  const int* tokens = nullptr;   // [B,T]
  const int* targets = nullptr;  // [B,T]
  int B = 0;
  int T = 0;
};

// Throws InputError when a token or target is outside [0, V) or B x T does not
// fit the model (T > seq_len); checked once per micro-batch, not in the kernels.
void check_micro_batch(const GptConfig& cfg, const MicroBatch& mb);

}  // namespace parcae::model
