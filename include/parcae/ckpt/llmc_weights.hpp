#pragma once
// GPT-2 weights in llm.c's checkpoint format (what its train_gpt2.py writes as
// gpt2_124M.bin, and its C trainers read), as parcae shards:
//
//   offset  size          field
//   0       256 x int32   header: [0] magic 20240326, [1] version (3: float32
//                         with the padded vocabulary in [7]; 1: the older
//                         unpadded one), [2] max T, [3] V, [4] L, [5] heads,
//                         [6] C, [7] padded V (Vp)
//   1024    float32 x N   the 16 tensors in this order, each row-major:
//       wte [Vp,C], wpe [T,C], ln1.w [L,C], ln1.b [L,C], qkv.w [L,3C,C],
//       qkv.b [L,3C], attn.proj.w [L,C,C], attn.proj.b [L,C], ln2.w [L,C],
//       ln2.b [L,C], fc.w [L,4C,C], fc.b [L,4C], fc.proj.w [L,C,4C],
//       fc.proj.b [L,C], lnf.w [C], lnf.b [C]
//
// llm.c ties the LM head to wte; parcae's head is untied, so it starts as a
// copy of the token embedding. The matrices are [out, in] as parcae's (out =
// in @ W^T) and qkv stacks q, k, v as parcae's attention reads them, so every
// tensor is copied as it is. The moments start at zero, the step at 0.
#include <cstdint>
#include <string>
#include <vector>

#include "parcae/model/config.hpp"
#include "parcae/model/shard.hpp"

namespace parcae::ckpt {

inline constexpr std::int32_t kLlmcWeightsMagic = 20240326;

struct LlmcWeights {
  model::GptConfig config;           // micro_batch left at its default
  std::vector<model::Shard> shards;  // every layer, 0 .. L + 1
  int version = 0;                   // of the file
};

// InputError naming the file and the reason: a wrong magic, an unsupported
// version (5 is llm.c's bfloat16: not read), a size other than the header's
// tensors, or a configuration parcae cannot build (heads that do not divide C, ...).
LlmcWeights read_llmc_weights(const std::string& path);

}  // namespace parcae::ckpt
