#pragma once
// A thin layer over HDF5's C API for the shard files: handles that close
// themselves, attributes and float datasets in one call each, and HDF5's
// failures as exceptions carrying its own reason instead of an error stack
// printed to stderr. One lock serialises every use of the library: Debian's
// serial HDF5 is not built thread-safe, and a ShardWriter thread may write
// while another thread reads.
#include <hdf5.h>

#include <cstdint>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "parcae/model/shard.hpp"
#include "parcae/util/hashing_thread.hpp"

namespace parcae::ckpt::h5 {

// What went wrong, without the file's name (the caller adds it and picks
// IoError or InputError).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Held around every sequence of HDF5 calls. Also turns HDF5's automatic
// error printing off for this thread (per-thread in thread-safe builds).
class Session {
 public:
  Session();

 private:
  std::unique_lock<std::mutex> lock_;
};

class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer close, const std::string& what);  // throws Error when id < 0
  ~Handle() { close_quietly(); }
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&&) = delete;
  Handle(const Handle&) = delete;

  hid_t get() const { return id_; }
  // Closes now, throwing Error if HDF5 reports a failure (a file's last
  // metadata is written by its close).
  void close(const std::string& what);

 private:
  void close_quietly() noexcept;
  hid_t id_ = -1;
  Closer close_ = nullptr;
};

Handle create_file(const std::string& path);  // truncates
Handle open_file_read_only(const std::string& path);
bool is_hdf5(const std::string& path);  // by its signature
Handle create_group(hid_t parent, const std::string& name);
Handle open_group(hid_t parent, const std::string& name);  // Error "no group 'name'"
bool has_link(hid_t parent, const std::string& name);

void set_attribute(hid_t object, const std::string& name, std::int64_t value);
void set_attribute(hid_t object, const std::string& name, std::uint64_t value);
void set_attribute(hid_t object, const std::string& name, const std::string& value);
void set_attribute(hid_t object, const std::string& name, const std::vector<std::int64_t>& values);

// Error "no attribute 'name'" or "attribute 'name' is not an integer|a string".
std::int64_t int_attribute(hid_t object, const std::string& name);
std::uint64_t uint_attribute(hid_t object, const std::string& name);
std::string string_attribute(hid_t object, const std::string& name);
std::vector<std::int64_t> ints_attribute(hid_t object, const std::string& name);

// A 1-D float32 dataset holding `values` (contiguous, never pre-filled),
// written block by block, each block hashed (XXH3) just before it is written
// while it is in cache; the checksum is stored as the dataset's attribute
// `checksum_attribute` and returned.
std::uint64_t write_floats(hid_t parent, const std::string& name, std::span<const float> values,
                           const std::string& checksum_attribute);

// Dataset `name` of `parent`, which must be 1-D float32 of `expected` floats
// (Error naming what it is instead), into `out`, block by block, each block
// handed to `hashing` as the next piece of item `id` as soon as it has
// landed, so the helper thread hashes it (still in cache) while the next
// block is read; hashing.finish() then gives the data's XXH3. Returns the
// dataset's attribute `checksum_attribute`. `out` must stay in place until
// hashing.finish() returns.
std::uint64_t read_floats(hid_t parent, const std::string& name, std::int64_t expected,
                          model::Floats& out, const std::string& checksum_attribute,
                          util::HashingThread& hashing, std::size_t id);

}  // namespace parcae::ckpt::h5
