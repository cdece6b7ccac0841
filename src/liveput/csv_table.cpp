#include "csv_table.hpp"

#include <cmath>
#include <istream>

#include "parcae/error.hpp"
#include "parcae/util/text.hpp"
#include "parcae/util/input_file.hpp"

namespace parcae::liveput::detail {
namespace {

constexpr double kMaxCell = 1e15;

double cell_value(const std::string& text, const std::string& source, long line,
                  const std::string& column) {
  const auto value = util::parse_number<double>(text);
  if (!value || !std::isfinite(*value))
    throw input_error_at(source, line, "column '" + column + "': '" + text + "' is not a number");
  if (*value < 0.0)
    throw input_error_at(source, line, "column '" + column + "': negative value " + text);
  // Far beyond any real figure (a petabyte, 30 years in ms, 1e15 samples/s),
  // and small enough that the simulator's products stay finite.
  if (*value > kMaxCell)
    throw input_error_at(source, line,
                         "column '" + column + "': " + text + " is out of range (at most 1e15)");
  return *value;
}

}  // namespace

std::vector<NumericRow> read_numeric_csv(std::istream& in, const std::string& source,
                                         const std::vector<std::string>& expected) {
  std::string text;
  long line = 0;
  bool have_header = false;
  std::vector<NumericRow> rows;
  util::skip_bom(in);
  while (std::getline(in, text)) {
    ++line;
    text = std::string(util::trim(text));
    if (text.empty()) continue;
    const std::vector<std::string> cells = util::split(text, ',');
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
      row.cells.push_back(cell_value(cells[i], source, line, expected[i]));
    rows.push_back(std::move(row));
  }
  if (!have_header) throw input_error_at(source, line, "empty file (no header)");
  if (rows.empty()) throw input_error_at(source, line, "no data rows");
  return rows;
}

}  // namespace parcae::liveput::detail
