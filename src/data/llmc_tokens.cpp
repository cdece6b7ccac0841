// llm.c's token shards, and --data as one file or a glob (see llmc_tokens.hpp).
#include "parcae/data/llmc_tokens.hpp"

#include <glob.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "parcae/error.hpp"

namespace parcae::data {
namespace {

std::int32_t int32_at(const unsigned char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(p[i]) << (8 * i);
  return static_cast<std::int32_t>(v);
}

bool has_glob_characters(const std::string& s) {
  return s.find_first_of("*?[") != std::string::npos;
}

std::vector<std::string> glob_matches(const std::string& pattern) {
  glob_t g{};
  const int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
  std::vector<std::string> out;
  if (rc == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  }
  ::globfree(&g);
  return out;  // glob(3) sorts its matches by name
}

}  // namespace

bool is_llmc_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[4] = {};
  in.read(reinterpret_cast<char*>(magic), sizeof magic);
  return in.gcount() == 4 && int32_at(magic) == kLlmcMagic;
}

TokenData read_llmc_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open token file");
  std::vector<unsigned char> header(kLlmcHeaderBytes);
  in.read(reinterpret_cast<char*>(header.data()), static_cast<std::streamsize>(header.size()));
  if (in.gcount() >= 4 && int32_at(header.data()) != kLlmcMagic) {
    throw InputError(path + ": not an llm.c token file (magic " +
                     std::to_string(int32_at(header.data())) + ", expected 20240520)");
  }
  if (static_cast<std::size_t>(in.gcount()) < kLlmcHeaderBytes) {
    throw InputError(path + ": truncated llm.c token file (shorter than its 1024-byte header)");
  }
  const std::int32_t version = int32_at(header.data() + 4);
  const std::int32_t count = int32_at(header.data() + 8);
  if (version != kLlmcVersion) {
    throw InputError(path + ": llm.c token file version " + std::to_string(version) +
                     " is not supported (expected 1: uint16 tokens)");
  }
  if (count < 0) throw InputError(path + ": negative token count in the header");
  const auto size = std::filesystem::file_size(path);
  const auto expected = kLlmcHeaderBytes + 2 * static_cast<std::uint64_t>(count);
  if (size != expected) {
    throw InputError(path + ": truncated or padded llm.c token file: header says " +
                     std::to_string(count) + " tokens, the file holds " +
                     std::to_string((size - kLlmcHeaderBytes) / 2));
  }
  std::vector<unsigned char> raw(2 * static_cast<std::size_t>(count));
  if (!in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(raw.size()))) {
    throw InputError(path + ": read error");
  }
  TokenData data{path, kGpt2Vocab, std::vector<std::uint16_t>(static_cast<std::size_t>(count))};
  for (std::size_t i = 0; i < data.tokens.size(); ++i) {
    data.tokens[i] = static_cast<std::uint16_t>(raw[2 * i] | raw[2 * i + 1] << 8);
    if (data.tokens[i] >= kGpt2Vocab) {
      throw InputError(path + ": token " + std::to_string(i) + " = " +
                       std::to_string(data.tokens[i]) + " is outside GPT-2's vocabulary of 50257");
    }
  }
  return data;
}

TokenData read_tokens(const std::string& path_or_glob) {
  const auto read_one = [](const std::string& path) {
    return is_llmc_token_file(path) ? read_llmc_token_file(path) : read_token_file(path);
  };
  if (!has_glob_characters(path_or_glob) || std::filesystem::exists(path_or_glob)) {
    return read_one(path_or_glob);
  }
  const auto files = glob_matches(path_or_glob);
  if (files.empty()) throw InputError(path_or_glob + ": no token file matches the pattern");
  TokenData joined = read_one(files.front());
  joined.source = path_or_glob;
  for (std::size_t i = 1; i < files.size(); ++i) {
    const TokenData part = read_one(files[i]);
    if (part.vocab != joined.vocab) {
      throw InputError(files[i] + ": vocabulary of " + std::to_string(part.vocab) +
                       " tokens, but " + files.front() + " has " + std::to_string(joined.vocab));
    }
    joined.tokens.insert(joined.tokens.end(), part.tokens.begin(), part.tokens.end());
  }
  return joined;
}

}  // namespace parcae::data
