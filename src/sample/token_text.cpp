// Between text and token ids (see token_text.hpp).
#include "parcae/sample/token_text.hpp"

#include <filesystem>

#include "parcae/error.hpp"
#include "parcae/util/input_file.hpp"
#include "parcae/util/text.hpp"

namespace parcae::sample {

namespace {

constexpr int kByteVocab = 256;
constexpr int kGpt2EndOfText = 50256;  // llm.c's version-1 tokenizer files leave it implicit

std::uint32_t uint32_at(const unsigned char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(p[i]) << (8 * i);
  return v;
}

}  // namespace

TokenText TokenText::for_vocab(int vocab) {
  if (vocab == kByteVocab) return TokenText(Kind::bytes, vocab, '\n', "bytes");
  return TokenText(Kind::ids, vocab, 0, "token ids (no tokenizer given)");
}

TokenText TokenText::from_llmc_tokenizer(const std::string& path, int vocab) {
  auto in = util::open_input(path, "tokenizer file");
  unsigned char header[256 * 4];
  in.read(reinterpret_cast<char*>(header), sizeof header);
  if (in.gcount() != static_cast<std::streamsize>(sizeof header))
    throw InputError(path + ": truncated tokenizer file (shorter than its 1024-byte header)");
  if (uint32_at(header) != kLlmcTokenizerMagic)
    throw InputError(path + ": not an llm.c tokenizer file (magic " +
                     std::to_string(uint32_at(header)) + ", expected 20240328)");
  const std::uint32_t version = uint32_at(header + 4), count = uint32_at(header + 8);
  if (version != 1 && version != 2)
    throw InputError(path + ": llm.c tokenizer version " + std::to_string(version) +
                     " is not supported (expected 1 or 2)");
  if (count != static_cast<std::uint32_t>(vocab))
    throw InputError(path + ": the tokenizer has " + std::to_string(count) +
                     " tokens; the model's vocabulary is " + std::to_string(vocab));
  const std::uint32_t eot = version == 2 ? uint32_at(header + 12) : kGpt2EndOfText;
  if (eot >= count)
    throw InputError(path + ": end-of-text token " + std::to_string(eot) +
                     " is outside the tokenizer's " + std::to_string(count) + " tokens");
  TokenText text(Kind::table, vocab, static_cast<int>(eot), "llm.c tokenizer " + path);
  text.table_.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    const int length = in.get();
    std::string piece(length > 0 ? static_cast<std::size_t>(length) : 0, '\0');
    if (length == std::char_traits<char>::eof() ||
        !in.read(piece.data(), static_cast<std::streamsize>(piece.size())))
      throw InputError(path + ": truncated tokenizer file (token " + std::to_string(i) + " of " +
                       std::to_string(count) + ")");
    text.table_.push_back(std::move(piece));
  }
  if (in.peek() != std::char_traits<char>::eof())
    throw InputError(path + ": bytes after the tokenizer's " + std::to_string(count) + " tokens");
  return text;
}

std::string TokenText::decode(int token) const {
  switch (kind_) {
    case Kind::bytes:
      return std::string(1, static_cast<char>(token));
    case Kind::table:
      return table_.at(static_cast<std::size_t>(token));
    case Kind::ids:
      break;
  }
  std::string id = " ";  // (not " " + to_string: GCC 12 warns falsely of an overlap there)
  id += std::to_string(token);
  return id;
}

std::vector<int> TokenText::encode(std::string_view prompt) const {
  std::vector<int> tokens;
  if (kind_ == Kind::bytes) {
    for (const char c : prompt) tokens.push_back(static_cast<unsigned char>(c));
    return tokens;
  }
  if (util::trim(prompt).empty()) return tokens;
  for (const auto& item : util::parse_list(prompt, "--prompt")) {
    const auto id = util::parse_number<int>(item);
    if (!id || *id < 0 || *id >= vocab_)
      throw InputError("--prompt: '" + item + "' is not a token id in [0, " +
                       std::to_string(vocab_) +
                       ") (a vocabulary of " + std::to_string(vocab_) +
                       " takes its prompt as comma-separated ids: parcae has no encoder for it)");
    tokens.push_back(*id);
  }
  return tokens;
}

}  // namespace parcae::sample
