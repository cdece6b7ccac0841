// Splitting, list options and the one number grammar.
#include "parcae/util/text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "parcae/error.hpp"

using namespace parcae::util;
using Strings = std::vector<std::string>;

TEST(Split, KeepsEmptyFieldsAndTrims) {
  EXPECT_EQ(split("a, b ,,c", ','), (Strings{"a", "b", "", "c"}));
  EXPECT_EQ(split("", ','), (Strings{""}));
  EXPECT_EQ(split("x,", ','), (Strings{"x", ""}));
  EXPECT_EQ(split("1;2", ';'), (Strings{"1", "2"}));
}

TEST(Trim, SpacesTabsAndCarriageReturns) { EXPECT_EQ(trim(" \tx y\r "), "x y"); }

TEST(ParseList, TheItems) { EXPECT_EQ(parse_list("1,2, 4", "--stages"), (Strings{"1", "2", "4"})); }

TEST(ParseList, EmptyListOrItemNamesTheOption) {
  for (const char* bad : {"", " ", ",", "a,,b", "a,"}) {
    try {
      parse_list(bad, "--policies");
      FAIL() << "accepted '" << bad << "'";
    } catch (const parcae::InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("--policies: empty", 0), 0u) << e.what();
    }
  }
}

TEST(ParseNumber, WholeNumbers) {
  EXPECT_EQ(parse_number<int>("42"), 42);
  EXPECT_EQ(parse_number<int>("-7"), -7);
  EXPECT_EQ(parse_number<std::int64_t>("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parse_number<std::uint64_t>("18446744073709551615"), UINT64_MAX);
}

TEST(ParseNumber, RefusesWhatIsNotExactlyAWholeNumber) {
  for (const char* bad : {"", " 1", "1 ", "+1", "12x", "1e3", "1.5", "0x10", "nan", "2147483648"})
    EXPECT_FALSE(parse_number<int>(bad)) << "'" << bad << "'";
  EXPECT_FALSE(parse_number<std::uint64_t>("-1"));  // no wrap-around to 2^64 - 1
  EXPECT_FALSE(parse_number<std::int64_t>("9223372036854775808"));
}

TEST(ParseNumber, Doubles) {
  EXPECT_EQ(parse_number<double>("0.1"), 0.1);
  EXPECT_EQ(parse_number<double>("-2.5e-3"), -2.5e-3);
  EXPECT_EQ(parse_number<double>("1e18"), 1e18);
  EXPECT_TRUE(std::isnan(*parse_number<double>("nan")));
  EXPECT_TRUE(std::isinf(*parse_number<double>("inf")));
  for (const char* bad : {"", "1,5", "0.1.2", "1e400", "e3", "--1"})
    EXPECT_FALSE(parse_number<double>(bad)) << "'" << bad << "'";
}

TEST(Shortest, AsAPersonWritesThem) {
  EXPECT_EQ(shortest(0.1), "0.1");
  EXPECT_EQ(shortest(0.9f), "0.9");
  EXPECT_EQ(shortest(0.95f), "0.95");
  EXPECT_EQ(shortest(1e-3), "0.001");
  EXPECT_EQ(shortest(3.0), "3");
  EXPECT_EQ(shortest(1e-8f), "1e-08");
  EXPECT_EQ(*parse_number<double>(shortest(2.0 / 3.0)), 2.0 / 3.0);  // reads back exactly
}
