// The atomic writer: the target is replaced whole or not at all, and no
// temporary is left behind on any path.
#include "parcae/util/atomic_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_support.hpp"

namespace fs = std::filesystem;
using parcae::IoError;
using parcae::testing::slurp;
using parcae::testing::TempDir;
using parcae::util::AtomicFile;
using parcae::util::write_file_atomically;

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
  std::string error;
  try {
    const parcae::testing::FileSizeLimit limit(4096);
    write_file_atomically(path, std::string(10000, 'x'));
  } catch (const IoError& e) {
    error = e.what();
  }
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
