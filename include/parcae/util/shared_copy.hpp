#pragma once
// A large host copy that a background thread works through block by block
// and that other threads may join at any time: every block is claimed from
// one counter, so each is copied once, by whoever reaches it first. A
// checkpoint's copy of the training state runs so beside the next step, and
// when the step reaches its optimizer update with blocks left, the training
// threads finish them together (never slower than copying them there).
#include <atomic>
#include <cstddef>
#include <vector>

namespace parcae::util {

class SharedCopy {
 public:
  struct Range {
    void* dst;
    const void* src;
    std::size_t bytes;
  };
  // The ranges must not overlap each other; they stay readable (src) and
  // writable (dst) until finish() or wait() returned.
  explicit SharedCopy(const std::vector<Range>& ranges, std::size_t block_bytes = 1 << 20);
  SharedCopy(const SharedCopy&) = delete;
  SharedCopy& operator=(const SharedCopy&) = delete;

  // Copies blocks until none is left to claim; any thread, any number at once.
  void work();
  // work() on every OpenMP thread of a new team, then wait(): the caller's way
  // to end the copy soon.
  void finish();
  // Returns once every block is copied (by whoever claimed it).
  void wait() const;
  std::size_t blocks() const { return blocks_.size(); }

 private:
  struct Block {
    char* dst;
    const char* src;
    std::size_t bytes;
  };
  std::vector<Block> blocks_;
  std::atomic<std::size_t> next_{0};    // the first block nobody has claimed
  std::atomic<std::size_t> copied_{0};  // blocks whose copy is done
};

}  // namespace parcae::util
