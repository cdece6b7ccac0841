#include "csv_table.hpp"

#include <charconv>
#include <cmath>
#include <istream>
#include <sstream>

#include "parcae/error.hpp"

namespace parcae::liveput::detail {
namespace {

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream stream(line);
  std::string cell;
  while (std::getline(stream, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

double parse_number(const std::string& text, const std::string& source, long line,
                    const std::string& column) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value))
    throw input_error_at(source, line, "column '" + column + "': '" + text + "' is not a number");
  if (value < 0.0)
    throw input_error_at(source, line, "column '" + column + "': negative value " + text);
  return value;
}

}  // namespace

std::vector<NumericRow> read_numeric_csv(std::istream& in, const std::string& source,
                                         const std::vector<std::string>& expected) {
  std::string text;
  long line = 0;
  bool have_header = false;
  std::vector<NumericRow> rows;
  while (std::getline(in, text)) {
    ++line;
    text = trim(text);
    if (text.empty()) continue;
    std::vector<std::string> cells = split_commas(text);
    for (auto& c : cells) c = trim(c);
    if (!have_header) {
      if (cells != expected) {
        std::string want;
        for (const auto& e : expected) want += (want.empty() ? "" : ",") + e;
        throw input_error_at(source, line, "header must be '" + want + "', got '" + text + "'");
      }
      have_header = true;
      continue;
    }
    if (cells.size() != expected.size())
      throw input_error_at(source, line, "expected " + std::to_string(expected.size()) +
                                             " columns, got " + std::to_string(cells.size()));
    NumericRow row{line, {}};
    for (std::size_t i = 0; i < cells.size(); ++i)
      row.cells.push_back(parse_number(cells[i], source, line, expected[i]));
    rows.push_back(std::move(row));
  }
  if (!have_header) throw input_error_at(source, line, "empty file (no header)");
  if (rows.empty()) throw input_error_at(source, line, "no data rows");
  return rows;
}

}  // namespace parcae::liveput::detail
