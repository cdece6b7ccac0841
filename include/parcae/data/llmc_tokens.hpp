#pragma once
// Token shards as llm.c and nanoGPT-style preparation scripts write them
// (llm.c dev/data/data_common.py, write_datafile), so data users already have
// trains as it is:
//
//   offset  size        field
//   0       256 x int32 header: [0] magic 20240520, [1] version 1, [2] token count
//   1024    count x 2   the tokens, uint16 little-endian (GPT-2's 50 257 ids)
//
// The vocabulary is GPT-2's; a token at or above it, a wrong magic or version,
// or a size that disagrees with the header's count is an InputError naming the
// file.
#include <cstdint>
#include <string>

#include "parcae/data/token_file.hpp"

namespace parcae::data {

inline constexpr std::int32_t kLlmcMagic = 20240520;
inline constexpr std::int32_t kLlmcVersion = 1;
inline constexpr std::size_t kLlmcHeaderBytes = 256 * 4;
inline constexpr std::uint32_t kGpt2Vocab = 50257;

// Whether the file starts with llm.c's magic (false when it cannot be read).
bool is_llmc_token_file(const std::string& path);
TokenData read_llmc_token_file(const std::string& path);

// What --data names: one file in either format (told apart by its magic), or
// a glob of files (llm.c's "fineweb_train_*.bin") read in name order and
// joined into one stream, which must agree on their vocabulary. Throws
// InputError naming the pattern when it matches nothing.
TokenData read_tokens(const std::string& path_or_glob);

}  // namespace parcae::data
