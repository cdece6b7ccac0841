// Reading and writing the token-file format (see token_file.hpp).
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "parcae/data/token_file.hpp"
#include "parcae/error.hpp"
#include "parcae/util/atomic_file.hpp"
#include "parcae/util/input_file.hpp"

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
  auto in = util::open_input(path, "token file");
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

std::string token_file_bytes(const TokenData& data) {
  std::string bytes(kTokenHeaderBytes + 2 * data.tokens.size(), '\0');
  auto* p = reinterpret_cast<unsigned char*>(bytes.data());
  std::memcpy(p, kTokenMagic, sizeof kTokenMagic);
  store_le<std::uint32_t>(p + 8, kTokenVersion);
  store_le<std::uint32_t>(p + 12, 2);
  store_le<std::uint64_t>(p + 16, data.tokens.size());
  store_le<std::uint32_t>(p + 24, data.vocab);
  for (std::size_t i = 0; i < data.tokens.size(); ++i) {
    store_le<std::uint16_t>(p + kTokenHeaderBytes + 2 * i, data.tokens[i]);
  }
  return bytes;
}

void write_token_file(const std::string& path, const TokenData& data) {
  util::write_file_atomically(path, token_file_bytes(data));
}

}  // namespace parcae::data
