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
char final_path[4096] = "";
char temporary_path[4096 + 8] = "";
std::atomic<bool> written{false};

}  // namespace

void set_exit_file(const std::string& path) {
  std::snprintf(final_path, sizeof final_path, "%s", path.c_str());
  std::snprintf(temporary_path, sizeof temporary_path, "%s.part", path.c_str());
  written = false;
}

void write_exit_file(int code) noexcept {
  if (final_path[0] == '\0' || written.exchange(true)) return;
  char line[16];
  const int n = std::snprintf(line, sizeof line, "%d\n", code);
  const int fd = ::open(temporary_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  const bool ok = ::write(fd, line, static_cast<std::size_t>(n)) == n && ::fsync(fd) == 0;
  ::close(fd);
  if (ok) ::rename(temporary_path, final_path);
}

}  // namespace parcae::runtime
