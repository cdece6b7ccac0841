#pragma once
// The model as the cost model sees it: parameters per layer, and how a
// P-stage pipeline partitions the layers.
#include <cstdint>
#include <vector>

namespace parcae::liveput {

using LayerParams = std::vector<std::int64_t>;

// GPT-1.5B as the Parcae artifact counts it (../shared/profiles/README.md):
// embedding 82 124 800 (vocab padded to 50 304 + 1 024 positions, x 1 600),
// 48 blocks of 30 740 800, head 82 128 000 (tied output copy + final LayerNorm).
LayerParams paper_gpt_1_5b_layers();

// A GPT of the given shape: token + position embedding, n_layer blocks
// (2 LayerNorms, QKV + projection, 4x MLP, with biases), untied head
// (final LayerNorm + LM head without bias), as DESIGN.md's model.
LayerParams gpt_layers(int n_layer, int d_model, int vocab, int seq_len);

// Stage boundaries (pp + 1 layer indices) with the artifact's rule
// (model.py partition): chunk = (L - 1) / pp; sizes = [chunk + 1] + [chunk] * (pp - 1),
// then one more layer to sizes[-i-2] for i < (L - 1) % pp. Needs 1 <= pp <= L - 1.
std::vector<int> paper_partition(int num_layers, int pp);

// Parameters of each stage under `boundaries`.
std::vector<std::int64_t> stage_params(const LayerParams& layers, const std::vector<int>& boundaries);

}  // namespace parcae::liveput
