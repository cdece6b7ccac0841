#pragma once
// Writing a file so that nothing already saved is ever lost: the bytes go to a
// temporary name beside the target, and only commit() (flush, fsync, rename,
// fsync of the folder) puts them in place. A reader, a crash or a full disk in
// between sees the old file whole or the new one whole, never a mixture. Every
// system call is checked; a failure throws IoError naming the path and the OS
// error, and the temporary is removed (an AtomicFile that is destroyed without
// commit() leaves the target untouched and no temporary behind).
#include <string>
#include <string_view>

#include "parcae/error.hpp"

namespace parcae::util {

class AtomicFile {
 public:
  // Creates the temporary `<path>.tmp.<pid>` (mode 0644). Throws IoError when
  // it cannot be created (missing folder, read-only folder, ...).
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Appends bytes (all of them, or throws IoError: ENOSPC, EIO, ...).
  void write(std::string_view bytes);
  // Makes the bytes written so far durable (fsync), without renaming: a
  // command with several outputs syncs them all before committing any.
  void sync();
  // Makes the bytes durable and atomically replaces `path` with them.
  void commit();

  const std::string& path() const { return path_; }
  const std::string& temporary() const { return tmp_; }

 private:
  void discard() noexcept;

  std::string path_;
  std::string tmp_;
  int fd_ = -1;
  bool committed_ = false;
};

// The whole of `bytes` into `path`, atomically (an AtomicFile written once).
void write_file_atomically(const std::string& path, std::string_view bytes);

// Unlinks the temporaries of every AtomicFile alive in this process: for a
// signal handler that ends the process (async-signal-safe: unlink only).
void remove_temporaries() noexcept;

// fsync of the folder that holds `path`, so a rename into it survives a crash.
void sync_parent_directory(const std::string& path);

}  // namespace parcae::util
