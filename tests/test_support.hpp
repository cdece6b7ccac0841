#pragma once
// Small helpers shared by the unit tests.
#include <filesystem>
#include <fstream>
#include <string>

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

}  // namespace parcae::testing
