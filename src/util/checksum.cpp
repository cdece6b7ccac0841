// XXH3 through libxxhash (see checksum.hpp).
#include "parcae/util/checksum.hpp"

#include <cinttypes>
#include <cstdio>
#include <new>

#include <xxhash.h>
#if defined(__x86_64__)
#define PARCAE_XXH3_DISPATCH 1
#define XXH_DISPATCH_DISABLE_REPLACE  // we name the _dispatch functions ourselves
#include <xxh_x86dispatch.h>
#endif

namespace parcae::util {
namespace {

// libxxhash's plain entry points are built for the baseline x86-64 (SSE2):
// ~4 GB/s here even over data in cache. Its _dispatch twins pick AVX2 or
// AVX-512 at run time (~20 GB/s in cache, measured on this Xeon) and give
// the same digests, so checkpoints and migrations written with either
// verify with the other.
#if defined(PARCAE_XXH3_DISPATCH)
std::uint64_t one_shot(const void* data, std::size_t bytes) {
  return XXH3_64bits_dispatch(data, bytes);
}
XXH_errorcode stream_update(XXH3_state_t* s, const void* data, std::size_t bytes) {
  return XXH3_64bits_update_dispatch(s, data, bytes);
}
#else
std::uint64_t one_shot(const void* data, std::size_t bytes) { return XXH3_64bits(data, bytes); }
XXH_errorcode stream_update(XXH3_state_t* s, const void* data, std::size_t bytes) {
  return XXH3_64bits_update(s, data, bytes);
}
#endif

}  // namespace

std::uint64_t xxh3_64(const void* data, std::size_t bytes) { return one_shot(data, bytes); }

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
  stream_update(state_->s, data, bytes);
}

std::uint64_t Xxh3Stream::digest() const { return XXH3_64bits_digest(state_->s); }

}  // namespace parcae::util
