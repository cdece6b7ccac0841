// Temporary name, every error checked, fsync, rename (see atomic_file.hpp).
#include "parcae/util/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace parcae::util {
namespace {

IoError os_error(const std::string& path, const char* what, int err) {
  return IoError(path + ": " + what + ": " + std::strerror(err));
}

// The temporaries alive in this process, for remove_temporaries() in a signal
// handler: lock-free slots holding the AtomicFiles' own (stable) name buffers.
constexpr int kSlots = 64;
std::atomic<const char*> live_temporaries[kSlots];

void track(const char* name) {
  for (auto& slot : live_temporaries) {
    const char* empty = nullptr;
    if (slot.compare_exchange_strong(empty, name)) return;
  }  // more than kSlots at once: that one is not removed by a signal
}

void untrack(const char* name) {
  for (auto& slot : live_temporaries) {
    const char* mine = name;
    if (slot.compare_exchange_strong(mine, nullptr)) return;
  }
}

}  // namespace

void remove_temporaries() noexcept {
  for (auto& slot : live_temporaries) {
    if (const char* name = slot.load()) ::unlink(name);
  }
}

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)), tmp_(path_ + ".tmp." + std::to_string(::getpid())) {
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) throw os_error(path_, "cannot create a temporary beside it", errno);
  track(tmp_.c_str());
}

AtomicFile::~AtomicFile() {
  if (!committed_) discard();
}

void AtomicFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(tmp_.c_str());
  untrack(tmp_.c_str());
}

void AtomicFile::write(std::string_view bytes) {
  if (fd_ < 0) throw IoError(path_ + ": write after commit or failure");
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      discard();
      throw os_error(path_, "write failed", err);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void AtomicFile::sync() {
  if (fd_ < 0) throw IoError(path_ + ": sync after commit or failure");
  if (::fsync(fd_) != 0) {
    const int err = errno;
    discard();
    throw os_error(path_, "fsync failed", err);
  }
}

void AtomicFile::commit() {
  if (fd_ < 0) throw IoError(path_ + ": commit after commit or failure");
  sync();
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0) {
    const int err = errno;
    discard();
    throw os_error(path_, "close failed", err);
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    discard();
    throw os_error(path_, "rename into place failed", err);
  }
  committed_ = true;
  untrack(tmp_.c_str());
  sync_parent_directory(path_);
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  AtomicFile file(path);
  file.write(bytes);
  file.commit();
}

void sync_parent_directory(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw os_error(dir, "cannot open folder to sync it", errno);
  const int synced = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  // Some file systems cannot fsync a folder (EINVAL): the rename stands anyway.
  if (synced != 0 && err != EINVAL) throw os_error(dir, "fsync of folder failed", err);
}

}  // namespace parcae::util
