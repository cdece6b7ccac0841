// Thousands of random and mutated trace files: the parser either accepts them
// (and then discretisation is consistent) or raises InputError naming the
// file:line. Never a crash, another exception type, or a hang.
#include <chrono>
#include <sstream>

#include <gtest/gtest.h>

#include "parcae/error.hpp"
#include "parcae/rng.hpp"
#include "parcae/trace/generator.hpp"
#include "parcae/trace/series.hpp"

namespace parcae::trace {
namespace {

std::string mutate(std::string text, Rng& rng) {
  static const std::string alphabet = "0123456789,-+.\r\n \taddremovenode\x01\xff";
  const int edits = 1 + static_cast<int>(rng.below(6));
  for (int e = 0; e < edits && !text.empty(); ++e) {
    const auto at = rng.below(text.size());
    switch (rng.below(5)) {
      case 0: text[at] = alphabet[rng.below(alphabet.size())]; break;
      case 1: text.erase(at, 1 + rng.below(8)); break;
      case 2: text.insert(at, 1, alphabet[rng.below(alphabet.size())]); break;
      case 3: text.insert(at, text.substr(rng.below(text.size()), rng.below(40))); break;
      default: text.resize(at); break;
    }
  }
  return text;
}

std::string random_bytes(Rng& rng) {
  std::string s(rng.below(300), '\0');
  for (auto& c : s) c = static_cast<char>(rng.below(256));
  return s;
}

// One input: accepted and consistent, or rejected with a located message.
void check_parser_on(const std::string& text) {
  std::istringstream in(text);
  try {
    const auto t = parse_trace(in, "fuzz.csv");
    const auto s = discretise(t);
    int n = 0;
    for (const auto& i : s.intervals) {
      n += i.n_in - i.n_out;
      ASSERT_EQ(i.n, n);
      ASSERT_GE(i.n, 0);
    }
  } catch (const InputError& e) {
    ASSERT_EQ(std::string(e.what()).rfind("fuzz.csv", 0), 0u) << e.what();
  }
}

TEST(ParserFuzz, RandomAndMutatedFilesNeverCrashOrHang) {
  Rng rng(2024);
  GeneratorParams p;
  p.intervals = 40;
  const auto start = std::chrono::steady_clock::now();
  int cases = 0;
  for (int round = 0; round < 400; ++round) {
    p.seed = round + 1;
    std::ostringstream base;
    write_trace(base, generate_trace(p));
    for (int m = 0; m < 10; ++m, ++cases) check_parser_on(mutate(base.str(), rng));
    check_parser_on(random_bytes(rng));
    ++cases;
  }
  EXPECT_EQ(cases, 4400);
  // Generous bound: the whole run takes well under a second here.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

}  // namespace
}  // namespace parcae::trace
