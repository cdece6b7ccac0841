// llm.c's token shards read as they are, checked like parcae's own files.
#include "parcae/data/llmc_tokens.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "parcae/error.hpp"

namespace parcae::data {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    char name[] = "/tmp/parcae_llmc_XXXXXX";
    path = ::mkdtemp(name);
  }
  ~TempDir() { fs::remove_all(path); }
};

// The bytes llm.c's write_datafile produces: 256 int32 header, uint16 tokens.
void write_llmc(const fs::path& path, const std::vector<std::uint16_t>& tokens,
                std::int32_t magic = kLlmcMagic, std::int32_t version = 1, long count = -1) {
  std::vector<std::int32_t> header(256, 0);
  header[0] = magic;
  header[1] = version;
  header[2] = static_cast<std::int32_t>(count < 0 ? static_cast<long>(tokens.size()) : count);
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(header.data()), 1024);
  out.write(reinterpret_cast<const char*>(tokens.data()),
            static_cast<std::streamsize>(2 * tokens.size()));
}

std::string error_of(const std::string& path) {
  try {
    read_tokens(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(LlmcTokens, ReadsAShardAsItIs) {
  TempDir dir;
  const auto file = dir.path / "tiny_train.bin";
  write_llmc(file, {50256, 15496, 11, 995, 0});
  EXPECT_TRUE(is_llmc_token_file(file));
  const TokenData d = read_tokens(file);
  EXPECT_EQ(d.vocab, 50257u);
  EXPECT_EQ(d.tokens, (std::vector<std::uint16_t>{50256, 15496, 11, 995, 0}));
}

TEST(LlmcTokens, AGlobJoinsShardsInNameOrder) {
  TempDir dir;
  write_llmc(dir.path / "fw_train_000001.bin", {3, 4});
  write_llmc(dir.path / "fw_train_000000.bin", {1, 2});
  write_llmc(dir.path / "fw_val_000000.bin", {9});
  const TokenData d = read_tokens((dir.path / "fw_train_*.bin").string());
  EXPECT_EQ(d.tokens, (std::vector<std::uint16_t>{1, 2, 3, 4}));
  EXPECT_NE(error_of((dir.path / "nothing_*.bin").string()).find("no token file matches"),
            std::string::npos);
}

TEST(LlmcTokens, RejectsBadShardsNamingTheFile) {
  TempDir dir;
  const auto bad_magic = dir.path / "magic.bin", version = dir.path / "v2.bin",
             short_file = dir.path / "short.bin", over = dir.path / "over.bin";
  write_llmc(bad_magic, {1}, 20240521);
  write_llmc(version, {1}, kLlmcMagic, 2);
  write_llmc(short_file, {1, 2, 3}, kLlmcMagic, 1, 5);  // header says 5, holds 3
  write_llmc(over, {50257});
  // A wrong magic is a foreign file: parcae's own reader names it.
  EXPECT_NE(error_of(bad_magic).find("magic.bin: not a parcae token file"), std::string::npos);
  EXPECT_NE(error_of(version).find("v2.bin: llm.c token file version 2"), std::string::npos);
  EXPECT_NE(
      error_of(short_file).find("short.bin: truncated or padded llm.c token file: header says 5"),
      std::string::npos);
  EXPECT_NE(error_of(over).find("over.bin: token 0 = 50257 is outside"), std::string::npos);
  std::ofstream(dir.path / "stub.bin", std::ios::binary).write("\x88\xd8\x34\x01", 4);
  EXPECT_NE(error_of(dir.path / "stub.bin").find("truncated llm.c token file"), std::string::npos);
}

TEST(LlmcTokens, ParcaeFilesStillReadThroughTheSameEntry) {
  TempDir dir;
  const auto file = (dir.path / "own.bin").string();
  write_token_file(file, {"x", 256, {1, 2, 255}});
  EXPECT_FALSE(is_llmc_token_file(file));
  EXPECT_EQ(read_tokens(file).tokens, (std::vector<std::uint16_t>{1, 2, 255}));
}

}  // namespace
}  // namespace parcae::data
