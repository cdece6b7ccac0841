// A command's outputs: refused up front when they would destroy something
// (an input, another output, a device, a directory), committed together.
#include "parcae/util/outputs.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_support.hpp"

#include "parcae/error.hpp"
#include "parcae/util/input_file.hpp"

namespace fs = std::filesystem;
using parcae::InputError;
using parcae::IoError;
using parcae::testing::slurp;
using parcae::testing::TempDir;
using parcae::util::Outputs;

namespace {

void spit(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// The InputError's message, or "" when there was none.
template <typename F>
std::string refusal(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Outputs, RefusesAnOutputThatIsAnInput) {
  TempDir dir;
  spit(dir.file("text.txt"), "precious");
  Outputs o;
  o.input("--text", dir.file("text.txt"));
  const auto e = refusal([&] { o.output("--out", dir.path().string() + "/./text.txt"); });
  EXPECT_NE(e.find("is the same file as the input --text"), std::string::npos) << e;
  // A hard link is the same file under another name.
  fs::create_hard_link(dir.file("text.txt"), dir.file("link.txt"));
  EXPECT_NE(refusal([&] { o.output("--out", dir.file("link.txt")); }), "");
  EXPECT_EQ(slurp(dir.file("text.txt")), "precious");
}

TEST(Outputs, RefusesAnInputDeclaredAfterTheOutputItIs) {
  TempDir dir;
  spit(dir.file("a.csv"), "x");
  Outputs o;
  o.output("--timeline", dir.file("a.csv"));
  EXPECT_NE(refusal([&] { o.input("--trace", dir.file("a.csv")); }), "");
}

TEST(Outputs, RefusesTwoOutputsThatAreOneFile) {
  TempDir dir;
  Outputs o;
  o.output("--out", dir.file("a.bin"));  // neither exists yet
  const auto e = refusal([&] { o.output("--val-out", dir.path().string() + "//a.bin"); });
  EXPECT_NE(e.find("is the same file as the output --out"), std::string::npos) << e;
}

TEST(Outputs, RefusesDevicesDirectoriesAndMissingFolders) {
  TempDir dir;
  Outputs o;
  EXPECT_NE(refusal([&] { o.output("--out", "/dev/full"); }).find("not a regular file"),
            std::string::npos);
  EXPECT_NE(refusal([&] { o.output("--out", dir.path().string()); }).find("is a directory"),
            std::string::npos);
  EXPECT_NE(refusal([&] { o.output("--out", dir.file("no/such/x.csv")); }).find("does not exist"),
            std::string::npos);
  EXPECT_NE(refusal([&] { o.output("--out", ""); }), "");
  o.output("--out", "-", /*stdout_allowed=*/true);            // standard output where it is allowed
}

TEST(Outputs, CommitsEveryOutputOrNone) {
  TempDir dir;
  spit(dir.file("a"), "old a");
  spit(dir.file("b"), "old b");
  {
    Outputs o;
    o.output("--a", dir.file("a"));
    o.output("--b", dir.file("b"));
    o.set("--a", "new a");
    o.set("--b", std::string(10000, 'b'));
    // The second output's write fails (a file-size limit stands in for a full disk).
    const parcae::testing::FileSizeLimit limit(4096);
    EXPECT_THROW(o.commit(), IoError);
  }
  EXPECT_EQ(slurp(dir.file("a")), "old a");  // not replaced: b failed
  EXPECT_EQ(slurp(dir.file("b")), "old b");
  EXPECT_EQ(dir.entries(), 2);  // no temporaries
  Outputs o;
  o.output("--a", dir.file("a"));
  o.output("--b", dir.file("b"));
  o.set("--a", "new a");
  o.set("--b", "new b");
  o.commit();
  EXPECT_EQ(slurp(dir.file("a")), "new a");
  EXPECT_EQ(slurp(dir.file("b")), "new b");
  EXPECT_EQ(dir.entries(), 2);
}

TEST(InputFile, RefusesDirectoriesDevicesAndMissingFiles) {
  TempDir dir;
  const auto e1 = refusal([&] { parcae::util::open_input(dir.path().string(), "trace file"); });
  EXPECT_NE(e1.find("is a directory, not a trace file"), std::string::npos) << e1;
  const auto e2 = refusal([&] { parcae::util::open_input("/dev/full", "trace file"); });
  EXPECT_NE(e2.find("/dev/full: is not a regular file"), std::string::npos) << e2;
  const auto e3 = refusal([&] { parcae::util::open_input(dir.file("nope"), "trace file"); });
  EXPECT_NE(e3.find("nope: cannot open trace file (No such file or directory)"), std::string::npos)
      << e3;
}

TEST(InputFile, SkipsAByteOrderMarkAndNothingElse) {
  std::istringstream with(
      "\xEF\xBB\xBF"
      "0,add,a\n"),
      without("0,add,a\n"), short_one("\xEF\xBB");
  for (auto* in : {&with, &without}) {
    parcae::util::skip_bom(*in);
    std::string line;
    std::getline(*in, line);
    EXPECT_EQ(line, "0,add,a");
  }
  parcae::util::skip_bom(short_one);
  EXPECT_EQ(short_one.get(), 0xEF);
}
