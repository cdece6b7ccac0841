#pragma once
// A numeric CSV with a header line, shared by the profile and p2p readers:
// every row has exactly the header's columns, every cell a number in [0, 1e15].
#include <iosfwd>
#include <string>
#include <vector>

namespace parcae::liveput::detail {

struct NumericRow {
  long line = 0;
  std::vector<double> cells;
};

// `expected` names the columns in order. Throws InputError with source:line.
std::vector<NumericRow> read_numeric_csv(std::istream& in, const std::string& source,
                                         const std::vector<std::string>& expected);

}  // namespace parcae::liveput::detail
