// Reading and writing the token-file format (see token_file.hpp).
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "parcae/data/token_file.hpp"
#include "parcae/error.hpp"
#include "parcae/util/atomic_file.hpp"

namespace parcae::data {
namespace {

// Little-endian fields, independent of the host's byte order.
template <typename T>
T load_le(const unsigned char* p) {
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(p[i]) << (8 * i);
  return value;
}

template <typename T>
void store_le(unsigned char* p, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) p[i] = static_cast<unsigned char>(value >> (8 * i));
}

}  // namespace

TokenData read_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open token file");
  unsigned char header[kTokenHeaderBytes] = {};
  in.read(reinterpret_cast<char*>(header), sizeof header);
  const auto got = static_cast<std::size_t>(in.gcount());
  // A foreign file is named as such even when it is shorter than a header.
  if (std::memcmp(header, kTokenMagic, std::min(got, sizeof kTokenMagic)) != 0 || got == 0) {
    throw InputError(path + ": not a parcae token file (bad magic; make one with `parcae data prepare`)");
  }
  if (got < sizeof header) {
    throw InputError(path + ": truncated token file (shorter than its 32-byte header)");
  }
  const auto version = load_le<std::uint32_t>(header + 8);
  const auto width = load_le<std::uint32_t>(header + 12);
  const auto count = load_le<std::uint64_t>(header + 16);
  TokenData data{path, load_le<std::uint32_t>(header + 24), {}};
  if (version != kTokenVersion) {
    throw InputError(path + ": token file version " + std::to_string(version) +
                     " is not supported (expected 1)");
  }
  if (width != 2) {
    throw InputError(path + ": token width " + std::to_string(width) +
                     " is not supported (2 today; 4 is reserved)");
  }
  const auto size = std::filesystem::file_size(path);
  if (size != kTokenHeaderBytes + count * width) {
    throw InputError(path + ": truncated or padded token file: header says " +
                     std::to_string(count) + " tokens, the file holds " +
                     std::to_string((size - kTokenHeaderBytes) / width));
  }
  std::vector<unsigned char> raw(count * width);
  if (!in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(raw.size()))) {
    throw InputError(path + ": read error");
  }
  data.tokens.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    data.tokens[i] = load_le<std::uint16_t>(raw.data() + 2 * i);
    if (data.tokens[i] >= data.vocab) {
      throw InputError(path + ": token " + std::to_string(i) + " = " +
                       std::to_string(data.tokens[i]) + " is outside the vocabulary of " +
                       std::to_string(data.vocab));
    }
  }
  return data;
}

void write_token_file(const std::string& path, const TokenData& data) {
  std::vector<unsigned char> bytes(kTokenHeaderBytes + 2 * data.tokens.size());
  std::memcpy(bytes.data(), kTokenMagic, sizeof kTokenMagic);
  store_le<std::uint32_t>(bytes.data() + 8, kTokenVersion);
  store_le<std::uint32_t>(bytes.data() + 12, 2);
  store_le<std::uint64_t>(bytes.data() + 16, data.tokens.size());
  store_le<std::uint32_t>(bytes.data() + 24, data.vocab);
  for (std::size_t i = 0; i < data.tokens.size(); ++i) {
    store_le<std::uint16_t>(bytes.data() + kTokenHeaderBytes + 2 * i, data.tokens[i]);
  }
  util::write_file_atomically(
      path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace parcae::data
