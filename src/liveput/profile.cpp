#include "parcae/liveput/profile.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "csv_table.hpp"
#include "parcae/error.hpp"
#include "parcae/util/input_file.hpp"

namespace parcae::liveput {

ThroughputTable::ThroughputTable(std::vector<ProfileRow> rows, std::string source)
    : rows_(std::move(rows)), source_(std::move(source)) {
  min_pp_ = rows_.empty() ? 0 : rows_.front().config.pp;
  for (const auto& r : rows_) {
    max_dp_ = std::max(max_dp_, r.config.dp);
    max_pp_ = std::max(max_pp_, r.config.pp);
    min_pp_ = std::min(min_pp_, r.config.pp);
  }
  dense_.assign(static_cast<std::size_t>(max_dp_ + 1) * (max_pp_ + 1), 0.0);
  for (const auto& r : rows_)
    dense_[static_cast<std::size_t>(r.config.dp) * (max_pp_ + 1) + r.config.pp] = r.samples_per_s;
}

double ThroughputTable::samples_per_s(Config c) const {
  if (c.dp < 1 || c.pp < 1 || c.dp > max_dp_ || c.pp > max_pp_) return 0.0;
  return dense_[static_cast<std::size_t>(c.dp) * (max_pp_ + 1) + c.pp];
}

namespace {

int as_positive_int(double v, const std::string& source, long line, const char* column) {
  if (v < 1.0 || v != std::floor(v) || v > 1e6)
    throw input_error_at(source, line, std::string("column '") + column +
                                           "' must be a positive integer");
  return static_cast<int>(v);
}

}  // namespace

ThroughputTable parse_profile(std::istream& in, const std::string& source) {
  const auto table = detail::read_numeric_csv(in, source,
                                              {"dp", "pp", "iteration_ms", "samples_per_s"});
  std::vector<ProfileRow> rows;
  for (const auto& r : table) {
    ProfileRow row{{as_positive_int(r.cells[0], source, r.line, "dp"),
                    as_positive_int(r.cells[1], source, r.line, "pp")},
                   r.cells[2], r.cells[3]};
    if (row.iteration_ms <= 0.0 || row.samples_per_s <= 0.0)
      throw input_error_at(source, r.line, "iteration_ms and samples_per_s must be > 0");
    for (const auto& seen : rows)
      if (seen.config == row.config)
        throw input_error_at(source, r.line, "duplicate configuration dp=" +
                                                 std::to_string(row.config.dp) +
                                                 " pp=" + std::to_string(row.config.pp));
    rows.push_back(row);
  }
  return ThroughputTable(std::move(rows), source);
}

ThroughputTable read_profile_file(const std::string& path) {
  auto in = util::open_input(path, "profile");
  return parse_profile(in, path);
}

}  // namespace parcae::liveput
