// XXH3 through libxxhash (see checksum.hpp).
#include "parcae/util/checksum.hpp"

#include <cinttypes>
#include <cstdio>
#include <new>

#include <xxhash.h>

namespace parcae::util {

std::uint64_t xxh3_64(const void* data, std::size_t bytes) { return XXH3_64bits(data, bytes); }

std::string checksum_hex(std::uint64_t checksum) {
  char text[24];
  std::snprintf(text, sizeof text, "%016" PRIx64, checksum);
  return text;
}

struct Xxh3Stream::State {
  XXH3_state_t* s = XXH3_createState();
  ~State() { XXH3_freeState(s); }
};

Xxh3Stream::Xxh3Stream() : state_(std::make_unique<State>()) {
  if (state_->s == nullptr || XXH3_64bits_reset(state_->s) != XXH_OK) throw std::bad_alloc();
}

Xxh3Stream::~Xxh3Stream() = default;

void Xxh3Stream::update(const void* data, std::size_t bytes) {
  XXH3_64bits_update(state_->s, data, bytes);
}

std::uint64_t Xxh3Stream::digest() const { return XXH3_64bits_digest(state_->s); }

}  // namespace parcae::util
