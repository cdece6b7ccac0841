// The atomic writer: the target is replaced whole or not at all, and no
// temporary is left behind on any path.
#include "parcae/util/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using parcae::IoError;
using parcae::util::AtomicFile;
using parcae::util::write_file_atomically;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char name[] = "/tmp/parcae_atomic_XXXXXX";
    path = ::mkdtemp(name);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const char* name) const { return (path / name).string(); }
  int entries() const { return static_cast<int>(std::distance(fs::directory_iterator(path), {})); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(AtomicFile, ReplacesTheTargetOnlyOnCommit) {
  TempDir dir;
  const auto path = dir.file("out.txt");
  write_file_atomically(path, "old");
  AtomicFile f(path);
  f.write("new ");
  f.write("contents");
  EXPECT_EQ(slurp(path), "old");  // not yet
  EXPECT_TRUE(fs::exists(f.temporary()));
  f.commit();
  EXPECT_EQ(slurp(path), "new contents");
  EXPECT_EQ(dir.entries(), 1);  // the temporary is gone
}

TEST(AtomicFile, AbandonedWriteLeavesTheOldFileAndNoTemporary) {
  TempDir dir;
  const auto path = dir.file("out.txt");
  write_file_atomically(path, "saved");
  {
    AtomicFile f(path);
    f.write("half of a new");
  }  // destroyed without commit: a failed run
  EXPECT_EQ(slurp(path), "saved");
  EXPECT_EQ(dir.entries(), 1);
}

TEST(AtomicFile, MissingFolderIsAnErrorNamingThePath) {
  TempDir dir;
  const auto missing = dir.file("no/such/folder/out.txt");
  try {
    AtomicFile f(missing);
    FAIL() << "created a file in a missing folder";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
}

TEST(AtomicFile, WriteErrorKeepsTheTargetAndRemovesTheTemporary) {
  // A file-size limit makes write() fail (EFBIG) as a full disk would (ENOSPC).
  TempDir dir;
  const auto path = dir.file("out.bin");
  write_file_atomically(path, "saved");
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = saved;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string error;
  try {
    write_file_atomically(path, std::string(10000, 'x'));
  } catch (const IoError& e) {
    error = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_NE(error.find(path + ": write failed"), std::string::npos) << error;
  EXPECT_EQ(slurp(path), "saved");
  EXPECT_EQ(dir.entries(), 1);
}

TEST(AtomicFile, RenameFailureKeepsTheTargetAndRemovesTheTemporary) {
  TempDir dir;
  const auto target = dir.file("target");
  fs::create_directory(target);  // a non-empty folder cannot be replaced by a file
  std::ofstream(dir.file("target/keep")) << "x";
  try {
    write_file_atomically(target, "bytes");
    FAIL() << "renamed a file over a folder";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("rename"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_directory(target));
  EXPECT_EQ(dir.entries(), 1);
}
