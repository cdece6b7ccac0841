#pragma once
// XXH3 (64-bit) from Debian's libxxhash: tens of GB/s on one core, so checking
// a model's state on every migration and checkpoint costs milliseconds, not the
// seconds a hand-written FNV took. One function for a whole buffer, and a
// stream for a fingerprint made of several pieces (a shard's layer, step and
// three buffers).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace parcae::util {

// XXH3_64bits of `bytes` bytes at `data` (seed 0: what `xxh64sum -H3` prints).
std::uint64_t xxh3_64(const void* data, std::size_t bytes);

template <class T>
std::uint64_t xxh3_64(std::span<const T> values) {
  return xxh3_64(values.data(), values.size_bytes());
}

// 16 lower-case hex digits, as xxhsum prints a checksum.
std::string checksum_hex(std::uint64_t checksum);

// The XXH3 of the concatenation of everything passed to update().
class Xxh3Stream {
 public:
  Xxh3Stream();
  ~Xxh3Stream();
  Xxh3Stream(const Xxh3Stream&) = delete;
  Xxh3Stream& operator=(const Xxh3Stream&) = delete;

  void update(const void* data, std::size_t bytes);
  template <class T>
  void update(std::span<const T> values) {
    update(values.data(), values.size_bytes());
  }
  void update_word(std::uint64_t word) { update(&word, sizeof word); }
  std::uint64_t digest() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace parcae::util
