#pragma once
// Measured throughput of (dp, pp) configurations: the profile tables of
// ../shared/profiles/*.csv (columns dp,pp,iteration_ms,samples_per_s). A
// configuration missing from a table was not runnable or not profiled, so it
// is infeasible: its throughput is 0.
#include <iosfwd>
#include <string>
#include <vector>

namespace parcae::liveput {

// D data-parallel replicas of a P-stage pipeline; {0, 0} = not training.
struct Config {
  int dp = 0;
  int pp = 0;
  int instances() const { return dp * pp; }
  bool training() const { return dp > 0 && pp > 0; }
  bool operator==(const Config&) const = default;
};

struct ProfileRow {
  Config config;
  double iteration_ms = 0.0;
  double samples_per_s = 0.0;
};

class ThroughputTable {
 public:
  ThroughputTable() = default;
  ThroughputTable(std::vector<ProfileRow> rows, std::string source);

  // Samples per second of `c`; 0 when the table lacks it (infeasible).
  double samples_per_s(Config c) const;
  bool contains(Config c) const { return samples_per_s(c) > 0.0; }
  const std::vector<ProfileRow>& rows() const { return rows_; }
  const std::string& source() const { return source_; }
  int max_dp() const { return max_dp_; }
  int max_pp() const { return max_pp_; }
  int min_pp() const { return min_pp_; }

 private:
  std::vector<ProfileRow> rows_;
  std::string source_;
  int max_dp_ = 0;
  int max_pp_ = 0;
  int min_pp_ = 0;
  std::vector<double> dense_;  // [dp * (max_pp + 1) + pp] -> samples/s
};

// Throws InputError naming `source:line` for a missing or unknown column, a
// malformed or negative number, a duplicate configuration, or an empty table.
ThroughputTable parse_profile(std::istream& in, const std::string& source);
ThroughputTable read_profile_file(const std::string& path);

}  // namespace parcae::liveput
