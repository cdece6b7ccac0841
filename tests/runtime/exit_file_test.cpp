// Rank 0's exit code in a file for the batch script: written whole, once.
#include "parcae/runtime/exit_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace parcae::runtime {
namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(ExitFile, TheFirstCodeWrittenIsTheJobs) {
  const auto dir = std::filesystem::temp_directory_path() / "parcae_exit_file_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / "exit";
  std::filesystem::remove(path);
  write_exit_file(3);  // no file set yet: nowhere
  EXPECT_FALSE(std::filesystem::exists(path));
  set_exit_file(path.string());
  write_exit_file(75);
  write_exit_file(1);  // a later code (a failure on the way out) does not replace it
  EXPECT_EQ(read(path), "75\n");
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".part"));
  set_exit_file("");
  std::filesystem::remove_all(dir);
}

TEST(ExitFile, AnOrphanWritesOnlyWhereNobodyHas) {
  const auto dir = std::filesystem::temp_directory_path() / "parcae_orphan_exit_file_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "exit";
  {
    std::ofstream(path) << "1\n";  // rank 0 failed and said so before it ended
  }
  set_orphan_exit_file(path.string());
  write_orphan_exit_file(75);
  EXPECT_EQ(read(path), "1\n");
  std::filesystem::remove(path);
  set_orphan_exit_file(path.string());  // another job's worker, say
  write_orphan_exit_file(75);
  EXPECT_EQ(read(path), "75\n");
  // Nothing left beside it: the temporary file was this process's alone.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
  set_orphan_exit_file("");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parcae::runtime
