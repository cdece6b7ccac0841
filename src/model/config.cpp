// GPT configuration: presets and validation (see config.hpp).
#include <algorithm>
#include <cstdint>
#include <limits>

#include "parcae/error.hpp"
#include "parcae/model/config.hpp"

namespace parcae::model {

GptConfig GptConfig::preset(std::string_view name) {
  if (name == "tiny") return {.vocab = 256, .seq_len = 64, .channels = 64, .layers = 4, .heads = 4, .micro_batch = 4};
  if (name == "small") return {.vocab = 256, .seq_len = 256, .channels = 384, .layers = 6, .heads = 6, .micro_batch = 8};
  // GPT-2 small (Radford et al. 2019): 50257 BPE tokens, 1024 positions.
  if (name == "gpt2-124m") return {.vocab = 50257, .seq_len = 1024, .channels = 768, .layers = 12, .heads = 12, .micro_batch = 4};
  throw InputError("unknown model preset '" + std::string(name) +
                   "' (choose tiny, small or gpt2-124m)");
}

void GptConfig::validate() const {
  auto positive = [](int value, const char* what) {
    if (value < 1)
      throw InputError(std::string("model config: ") + what + " must be at least 1, got " +
                       std::to_string(value));
  };
  positive(vocab, "vocab");
  positive(seq_len, "seq_len");
  positive(channels, "channels");
  positive(layers, "layers");
  positive(heads, "heads");
  positive(micro_batch, "micro_batch");
  if (channels % heads != 0)
    throw InputError("model config: heads (" + std::to_string(heads) + ") must divide channels (" +
                     std::to_string(channels) + "): each head gets channels / heads of them");
  // Kernels index rows and matrix sizes with int: keep every activation
  // dimension product below 2^31 (far beyond anything that fits in memory here).
  const std::int64_t rows = static_cast<std::int64_t>(micro_batch) * seq_len;
  const std::int64_t widest = std::max<std::int64_t>(padded_vocab(), 4LL * channels);
  if (rows * widest > std::numeric_limits<int>::max() ||
      rows * heads * seq_len > std::numeric_limits<int>::max())
    throw InputError("model config: micro_batch x seq_len (" + std::to_string(rows) +
                     ") is too large for this vocabulary and width: activations exceed 2^31 "
                     "elements");
}

std::string GptConfig::describe() const {
  return "V=" + std::to_string(vocab) + " T=" + std::to_string(seq_len) +
         " C=" + std::to_string(channels) + " L=" + std::to_string(layers) +
         " H=" + std::to_string(heads) + " B=" + std::to_string(micro_batch);
}

}  // namespace parcae::model
