#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "parcae/data/corpus.hpp"
#include "parcae/data/token_file.hpp"
#include "parcae/error.hpp"
#include "test_support.hpp"

namespace parcae::data {
namespace {

std::string rejection(const std::string& path) {
  try {
    read_token_file(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(TokenFile, RoundTripsAndHasTheDocumentedLayout) {
  testing::TempFile file("", ".bin");
  const TokenData data{"x", 300, {0, 1, 299, 258}};
  write_token_file(file.str(), data);
  const auto raw = bytes_of(file.str());
  ASSERT_EQ(raw.size(), 32u + 8u);
  EXPECT_EQ(raw.substr(0, 8), "PRCTOKEN");
  EXPECT_EQ(raw[8], 1);    // version
  EXPECT_EQ(raw[12], 2);   // width
  EXPECT_EQ(raw[16], 4);   // count
  EXPECT_EQ(static_cast<unsigned char>(raw[24]), 300 & 0xff);  // vocab, little-endian
  EXPECT_EQ(raw[25], 1);
  EXPECT_EQ(static_cast<unsigned char>(raw[36]), 299 & 0xff);  // third token
  const auto back = read_token_file(file.str());
  EXPECT_EQ(back.tokens, data.tokens);
  EXPECT_EQ(back.vocab, 300u);
  EXPECT_FALSE(std::filesystem::exists(file.str() + ".tmp"));
}

TEST(TokenFile, RejectsMissingTruncatedAndForeignFiles) {
  EXPECT_NE(rejection("/nonexistent.bin").find("/nonexistent.bin: cannot open"), std::string::npos);
  testing::TempFile good("", ".bin");
  write_token_file(good.str(), encode_bytes("hello world", "t"));
  const auto raw = bytes_of(good.str());

  testing::TempFile truncated(raw.substr(0, raw.size() - 3), ".bin");
  EXPECT_NE(rejection(truncated.str()).find("truncated or padded"), std::string::npos);
  testing::TempFile short_header(raw.substr(0, 20), ".bin");
  EXPECT_NE(rejection(short_header.str()).find("shorter than its 32-byte header"), std::string::npos);
  testing::TempFile text("just some text that is long enough to have a header", ".bin");
  EXPECT_NE(rejection(text.str()).find("bad magic"), std::string::npos);

  std::string wide = raw;
  wide[12] = 4;
  testing::TempFile width4(wide, ".bin");
  EXPECT_NE(rejection(width4.str()).find("token width 4 is not supported"), std::string::npos);
  std::string later = raw;
  later[8] = 9;
  testing::TempFile version9(later, ".bin");
  EXPECT_NE(rejection(version9.str()).find("version 9"), std::string::npos);
  std::string small_vocab = raw;
  small_vocab[24] = 50;  // 'h' = 104 is outside a vocabulary of 50
  small_vocab[25] = 0;
  testing::TempFile vocab(small_vocab, ".bin");
  EXPECT_NE(rejection(vocab.str()).find("outside the vocabulary"), std::string::npos);
}

TEST(Corpus, SplitTailKeepsOrderAndSizes) {
  const auto all = encode_bytes("abcdefghij", "t");
  const auto split = split_tail(all, 0.3);
  EXPECT_EQ(split.train.tokens.size(), 7u);
  EXPECT_EQ(split.val.tokens.size(), 3u);
  EXPECT_EQ(split.val.tokens.front(), 'h');
  EXPECT_THROW(split_tail(all, 1.0), InputError);
}

TEST(Corpus, SyntheticArithmeticIsSeededAndCorrect) {
  const auto a = synthetic_arithmetic(5, 4000);
  EXPECT_EQ(a.tokens, synthetic_arithmetic(5, 4000).tokens);
  EXPECT_NE(a.tokens, synthetic_arithmetic(6, 4000).tokens);
  ASSERT_EQ(a.tokens.size(), 4000u);
  // Every complete line is a true equation.
  std::string text(a.tokens.begin(), a.tokens.end());
  std::size_t start = 0, end;
  int lines = 0;
  while ((end = text.find('\n', start)) != std::string::npos) {
    const std::string line = text.substr(start, end - start);
    const auto op = line.find_first_of("+-"), eq = line.find('=');
    ASSERT_NE(op, std::string::npos) << line;
    const long x = std::stol(line.substr(0, op)), y = std::stol(line.substr(op + 1, eq - op - 1));
    EXPECT_EQ(std::stol(line.substr(eq + 1)), line[op] == '+' ? x + y : x - y) << line;
    start = end + 1;
    ++lines;
  }
  EXPECT_GT(lines, 200);
}

}  // namespace
}  // namespace parcae::data
