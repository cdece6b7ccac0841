#include "parcae/liveput/p2p.hpp"

#include <algorithm>
#include <fstream>

#include "csv_table.hpp"
#include "parcae/error.hpp"
#include "parcae/util/input_file.hpp"

namespace parcae::liveput {

P2pTable::P2pTable(std::vector<std::pair<double, double>> bytes_to_us)
    : points_(std::move(bytes_to_us)) {}

double P2pTable::milliseconds(double bytes) const {
  if (points_.empty()) return 0.0;
  // lower_bound = Python's bisect_left over the sizes, as in the artifact.
  const auto it = std::lower_bound(points_.begin(), points_.end(), bytes,
                                   [](const auto& p, double b) { return p.first < b; });
  double us = 0.0;
  if (it == points_.begin()) {
    us = points_.front().second;
  } else if (it == points_.end()) {
    us = bytes / points_.back().first * points_.back().second;
  } else {
    const auto& left = *(it - 1);
    const auto& right = *it;
    us = left.second + (right.second - left.second) * (bytes - left.first) / (right.first - left.first);
  }
  return us / 1000.0;
}

P2pTable parse_p2p(std::istream& in, const std::string& source) {
  const auto rows = detail::read_numeric_csv(in, source, {"bytes", "microseconds"});
  std::vector<std::pair<double, double>> points;
  for (const auto& r : rows) {
    if (!points.empty() && r.cells[0] <= points.back().first)
      throw input_error_at(source, r.line, "sizes must increase strictly");
    if (r.cells[0] <= 0.0) throw input_error_at(source, r.line, "bytes must be > 0");
    points.emplace_back(r.cells[0], r.cells[1]);
  }
  return P2pTable(std::move(points));
}

P2pTable read_p2p_file(const std::string& path) {
  auto in = util::open_input(path, "p2p table");
  return parse_p2p(in, path);
}

}  // namespace parcae::liveput
