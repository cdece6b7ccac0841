#pragma once
// Small helpers shared by the unit tests.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace parcae::testing {

// ../shared beside the checkout: tests that need it skip with a clear message when absent.
inline std::filesystem::path shared_dir() { return PARCAE_SHARED_DIR; }

inline std::filesystem::path shared_file(const std::string& rel) { return shared_dir() / rel; }

#define PARCAE_REQUIRE_SHARED(rel)                                                    \
  do {                                                                               \
    if (!std::filesystem::exists(::parcae::testing::shared_file(rel)))               \
      GTEST_SKIP() << "needs ../shared/" << (rel) << " beside the checkout";         \
  } while (0)

// A temporary file holding `text`, removed when the object goes.
class TempFile {
 public:
  explicit TempFile(const std::string& text, const std::string& suffix = ".csv") {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("parcae_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + suffix);
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// A fresh folder under /tmp, removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/parcae_test_XXXXXX";
    path_ = ::mkdtemp(name);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const char* name) const { return (path_ / name).string(); }
  int entries() const {
    return static_cast<int>(std::distance(std::filesystem::directory_iterator(path_), {}));
  }

 private:
  std::filesystem::path path_;
};

// Writes past `bytes` fail (EFBIG, as a full disk fails with ENOSPC) while the
// object lives; SIGXFSZ is ignored meanwhile so the write returns an error.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = saved_;
    small.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &small);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = nullptr;
};

// A whole file's bytes.
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace parcae::testing
