#pragma once
// The token-file format: what `parcae data prepare` writes and training reads.
//
//   offset  size  field
//   0       8     magic "PRCTOKEN"
//   8       4     version (1), little-endian uint32
//   12      4     token width in bytes: 2 (4 is reserved for vocabularies > 65 536)
//   16      8     token count, little-endian uint64
//   24      4     vocabulary size (every token is < this), little-endian uint32
//   28      4     reserved, 0
//   32      ...   the tokens, little-endian, `width` bytes each
//
// A file whose size is not 32 + count * width is truncated (or has trailing
// garbage) and is rejected, as are a wrong magic, version or width.
#include <cstdint>
#include <string>
#include <vector>

namespace parcae::data {

inline constexpr char kTokenMagic[8] = {'P', 'R', 'C', 'T', 'O', 'K', 'E', 'N'};
inline constexpr std::uint32_t kTokenVersion = 1;
inline constexpr std::size_t kTokenHeaderBytes = 32;

struct TokenData {
  std::string source;  // file name, or "<synthetic>"
  std::uint32_t vocab = 256;
  std::vector<std::uint16_t> tokens;
};

// Throws InputError naming the file for a missing, truncated or foreign file.
TokenData read_token_file(const std::string& path);

// The file's bytes: header and tokens.
std::string token_file_bytes(const TokenData& data);

// Writes atomically (util::AtomicFile): an existing file is replaced whole or
// not at all; an OS failure throws IoError naming the path.
void write_token_file(const std::string& path, const TokenData& data);

}  // namespace parcae::data
