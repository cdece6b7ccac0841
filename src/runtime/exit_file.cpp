// The job's exit code in a file (see exit_file.hpp).
#include "parcae/runtime/exit_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>

namespace parcae::runtime {
namespace {

// Fixed buffers, filled once before any thread may write.
struct Target {
  char final_path[4096] = "";
  char temporary_path[4096 + 32] = "";
  std::atomic<bool> written{false};
};
Target coordinator_file, orphan_file;

void aim(Target& t, const std::string& path, const char* temporary_suffix) {
  std::snprintf(t.final_path, sizeof t.final_path, "%s", path.c_str());
  std::snprintf(t.temporary_path, sizeof t.temporary_path, "%s%s", path.c_str(), temporary_suffix);
  t.written = false;
}

// Writes "code\n" to t's temporary file, then puts it in place: renamed over
// whatever is there, or (`only_if_absent`) linked, which fails when a code is
// there already.
void write_code(Target& t, int code, bool only_if_absent) noexcept {
  if (t.final_path[0] == '\0' || t.written.exchange(true)) return;
  char line[16];
  const int n = std::snprintf(line, sizeof line, "%d\n", code);
  const int fd = ::open(t.temporary_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  const bool ok = ::write(fd, line, static_cast<std::size_t>(n)) == n && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(t.temporary_path);
  } else if (!only_if_absent) {
    ::rename(t.temporary_path, t.final_path);
  } else {
    ::link(t.temporary_path, t.final_path);
    ::unlink(t.temporary_path);
  }
}

}  // namespace

void set_exit_file(const std::string& path) { aim(coordinator_file, path, ".part"); }

void write_exit_file(int code) noexcept { write_code(coordinator_file, code, false); }

void set_orphan_exit_file(const std::string& path) {
  // Workers of one host may write at once: each its own temporary file.
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, ".part.%ld", static_cast<long>(::getpid()));
  aim(orphan_file, path, suffix);
}

void write_orphan_exit_file(int code) noexcept { write_code(orphan_file, code, true); }

}  // namespace parcae::runtime
