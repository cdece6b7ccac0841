#pragma once
// The shape of a GPT model and of the micro-batches it runs on.
#include <string>
#include <string_view>

namespace parcae::model {

struct GptConfig {
  int vocab = 256;       // V: token ids in [0, V)
  int seq_len = 64;      // T: context length (rows of the position table)
  int channels = 64;     // C
  int layers = 4;        // L: transformer blocks
  int heads = 4;         // H: attention heads, each of C / H channels
  int micro_batch = 4;   // B: sequences per micro-batch

  // Presets: "tiny" (tests), "small" (the default run), "gpt2-124m" (benchmarks,
  // GPT-2 small's shape). Throws InputError naming the choices otherwise.
  static GptConfig preset(std::string_view name);

  // Throws InputError with the offending values when the shape is impossible
  // (non-positive sizes, heads that do not divide channels, ...).
  void validate() const;

  // Vp: the vocabulary rounded up to a multiple of 128 (GPT-2's 50257 -> 50304,
  // as llm.c pads it), so the LM head's GEMM gets friendly sizes. Padded rows
  // of the embedding and LM head stay zero and their logits are ignored.
  int padded_vocab() const { return (vocab + 127) / 128 * 128; }
  int head_size() const { return channels / heads; }
  // Model layers: embedding (0), blocks (1..L), head (L + 1).
  int num_layers() const { return layers + 2; }

  std::string describe() const;  // "V=256 T=64 C=64 L=4 H=4 B=4"
  bool operator==(const GptConfig&) const = default;
};

}  // namespace parcae::model
