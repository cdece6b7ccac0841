// Tokens to text and back: bytes for byte-level models, ids otherwise, and
// llm.c's GPT-2 tokenizer table (a small file in its format, written here).
#include "parcae/sample/token_text.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "parcae/error.hpp"

namespace parcae::sample {
namespace {

TEST(TokenText, BytesBothWays) {
  const auto text = TokenText::for_vocab(256);
  EXPECT_EQ(text.encode("Hi\n"), (std::vector<int>{'H', 'i', '\n'}));
  EXPECT_EQ(text.decode('A'), "A");
  EXPECT_EQ(text.decode(0xE9), "\xE9");
  EXPECT_EQ(text.start_token(), '\n');
}

TEST(TokenText, OtherVocabulariesTakeIds) {
  const auto text = TokenText::for_vocab(50257);
  EXPECT_EQ(text.encode("15496, 11,995"), (std::vector<int>{15496, 11, 995}));
  EXPECT_EQ(text.decode(42), " 42");
  EXPECT_TRUE(text.encode("").empty());
  EXPECT_THROW(text.encode("hello"), InputError);
  EXPECT_THROW(text.encode("50257"), InputError);
  EXPECT_THROW(text.encode("1,,2"), InputError);
}

// llm.c's format: 256 uint32 header (magic, version, count, eot), then a length byte + bytes per token.
std::filesystem::path write_tokenizer(const std::vector<std::string>& pieces,
                                      std::uint32_t magic = kLlmcTokenizerMagic,
                                      std::uint32_t version = 2, int drop_bytes = 0) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("parcae_tokenizer_" + std::to_string(::getpid()) + ".bin");
  std::uint32_t header[256] = {magic, version, static_cast<std::uint32_t>(pieces.size()),
                               static_cast<std::uint32_t>(pieces.size() - 1)};
  std::string bytes(reinterpret_cast<const char*>(header), sizeof header);
  for (const auto& p : pieces) bytes += static_cast<char>(p.size()) + p;
  bytes.resize(bytes.size() - drop_bytes);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(TokenText, ReadsAnLlmcTokenizer) {
  const std::vector<std::string> pieces = {"Hello", ",", " world", "", "<|endoftext|>"};
  const auto path = write_tokenizer(pieces);
  const auto text = TokenText::from_llmc_tokenizer(path.string(), 5);
  EXPECT_EQ(text.decode(0) + text.decode(1) + text.decode(2), "Hello, world");
  EXPECT_EQ(text.decode(3), "");
  EXPECT_EQ(text.start_token(), 4);
  EXPECT_EQ(text.encode("0,2"), (std::vector<int>{0, 2}));
  std::filesystem::remove(path);
}

TEST(TokenText, RefusesABadTokenizerNamingTheFile) {
  const std::vector<std::string> pieces = {"a", "b", "c"};
  auto expect_refused = [](const std::filesystem::path& path, int vocab, const std::string& why) {
    try {
      TokenText::from_llmc_tokenizer(path.string(), vocab);
      ADD_FAILURE() << "accepted: " << why;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
    std::filesystem::remove(path);
  };
  expect_refused(write_tokenizer(pieces, 12345), 3, "not an llm.c tokenizer");
  expect_refused(write_tokenizer(pieces, kLlmcTokenizerMagic, 3), 3, "version 3");
  expect_refused(write_tokenizer(pieces), 4, "the model's vocabulary is 4");
  expect_refused(write_tokenizer(pieces, kLlmcTokenizerMagic, 2, 1), 3, "truncated");
  expect_refused("/nonexistent/tok.bin", 3, "tokenizer file");
}

}  // namespace
}  // namespace parcae::sample
