#pragma once
// Point-to-point transfer time by message size, measured on the paper's
// 10 Gb/s network (../shared/profiles/p2p_10gbps.csv, columns bytes,microseconds).
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace parcae::liveput {

class P2pTable {
 public:
  P2pTable() = default;
  // Points sorted by bytes, strictly increasing.
  explicit P2pTable(std::vector<std::pair<double, double>> bytes_to_us);

  // Milliseconds to send `bytes`, as the artifact's cost.p2p_cost: the first
  // row's time below the first size, linear interpolation between rows, and
  // linear scaling of the last row above the last size.
  double milliseconds(double bytes) const;

 private:
  std::vector<std::pair<double, double>> points_;
};

// Throws InputError (source:line) on a bad header, number, or sizes not increasing.
P2pTable parse_p2p(std::istream& in, const std::string& source);
P2pTable read_p2p_file(const std::string& path);

// The paper's measured table, built in so the program runs without ../shared:
// the same 29 rows as ../shared/profiles/p2p_10gbps.csv (Parcae artifact,
// liveput/cost.py, 32 AWS p3.2xlarge on a 10 Gb/s network).
P2pTable paper_p2p_10gbps();

}  // namespace parcae::liveput
