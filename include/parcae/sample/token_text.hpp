#pragma once
// Between text and token ids, for generation. What parcae's data part trains
// on decides it:
// - vocabulary 256 (`parcae data prepare`, the built-in corpus): a token is a
//   byte; prompts are their bytes.
// - a GPT-2 vocabulary (llm.c's token shards, 50257): a token is a piece of
//   bytes from a tokenizer table (llm.c's gpt2_tokenizer.bin, read by
//   from_llmc_tokenizer). parcae has no GPT-2 BPE *encoder*, so prompts are
//   token ids ("15496,11,995"), and without a table tokens print as ids too.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parcae::sample {

inline constexpr std::uint32_t kLlmcTokenizerMagic = 20240328;

class TokenText {
 public:
  // For a model of `vocab` tokens: bytes for 256, ids otherwise.
  static TokenText for_vocab(int vocab);
  // llm.c's tokenizer file: 256 uint32 header ([0] magic 20240328, [1] version
  // 1 or 2, [2] vocabulary size, [3] end-of-text id from version 2), then per
  // token one length byte and that many bytes. InputError naming the file for
  // a wrong magic, version or size, or a vocabulary other than `vocab`.
  static TokenText from_llmc_tokenizer(const std::string& path, int vocab);

  // "bytes", "token ids", "llm.c tokenizer FILE"
  const std::string& describe() const { return description_; }
  // The text of one token; for ids " 123" (a space before each).
  std::string decode(int token) const;
  // A prompt's tokens: its bytes, or for the other kinds a comma-separated
  // list of ids, each in [0, vocab). InputError naming --prompt otherwise.
  std::vector<int> encode(std::string_view prompt) const;
  // What an empty prompt starts from: '\n' for bytes, the end-of-text token
  // (GPT-2's 50256, as llm.c starts its samples) for a tokenizer, 0 for ids.
  int start_token() const { return start_token_; }

 private:
  enum class Kind { bytes, ids, table };
  TokenText(Kind kind, int vocab, int start, std::string description)
      : kind_(kind), vocab_(vocab), start_token_(start), description_(std::move(description)) {}

  Kind kind_;
  int vocab_;
  int start_token_;
  std::string description_;
  std::vector<std::string> table_;  // Kind::table: the bytes of each token
};

}  // namespace parcae::sample
