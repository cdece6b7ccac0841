#pragma once
// Where training text comes from: a byte-level encoding of real text, or a
// built-in synthetic corpus so that `parcae train` runs with no files at all.
#include <cstdint>
#include <string>

#include "parcae/data/token_file.hpp"

namespace parcae::data {

// Byte-level tokens (vocabulary 256): one token per byte of `text`.
TokenData encode_bytes(const std::string& text, const std::string& source);

// Splits off the last `val_fraction` of the tokens (at least one sample's worth
// is not guaranteed: callers check lengths against the context).
struct Split {
  TokenData train;
  TokenData val;
};
Split split_tail(const TokenData& all, double val_fraction);

// A seeded synthetic corpus with learnable structure: lines of integer
// arithmetic such as "37+485=522\n" and "91-12=79\n". The answer digits are a
// function of the question, so a model that learns drives its loss well below
// the unigram entropy of the bytes; the question digits are random, so it cannot
// just memorise the text.
TokenData synthetic_arithmetic(std::uint64_t seed, std::size_t bytes);

}  // namespace parcae::data
